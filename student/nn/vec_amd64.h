// Constants shared by the AVX2 row loops of the pure-Go build (the
// *_amd64.s files of this package): each file that includes this header
// gets its own copies of the tables it names (<> symbols are file-local).

// C8(name, bits) is a 32-byte constant: the float32 (or int32) bits eight
// times, a memory operand for the vector instructions.
#define C8(name, bits) \
	DATA name+0(SB)/4, $bits; \
	DATA name+4(SB)/4, $bits; \
	DATA name+8(SB)/4, $bits; \
	DATA name+12(SB)/4, $bits; \
	DATA name+16(SB)/4, $bits; \
	DATA name+20(SB)/4, $bits; \
	DATA name+24(SB)/4, $bits; \
	DATA name+28(SB)/4, $bits; \
	GLOBL name(SB), RODATA|NOPTR, $32

// MASKTABLE(name) is eight set lanes, then eight clear ones: the 32 bytes
// at name+4·(8−t) are the mask of the first t of eight lanes (VMASKMOVPS),
// for a row's last t = length mod 8 values.
#define MASKTABLE(name) \
	DATA name+0(SB)/8, $0xffffffffffffffff; \
	DATA name+8(SB)/8, $0xffffffffffffffff; \
	DATA name+16(SB)/8, $0xffffffffffffffff; \
	DATA name+24(SB)/8, $0xffffffffffffffff; \
	DATA name+32(SB)/8, $0; \
	DATA name+40(SB)/8, $0; \
	DATA name+48(SB)/8, $0; \
	DATA name+56(SB)/8, $0; \
	GLOBL name(SB), RODATA|NOPTR, $64

// LANEMASK(table, t, tmp) loads into Y15 the mask of the first t of eight
// lanes from the MASKTABLE table; it uses tmp and leaves t as it was.
#define LANEMASK(table, t, tmp) \
	LEAQ    table+32(SB), tmp; \
	SHLQ    $2, t; \
	SUBQ    t, tmp; \
	SHRQ    $2, t; \
	VMOVUPS (tmp), Y15

// SUM8PS(s, sx, tmpx) sets the low lane of s (sx its low half) to the
// tree sum of its eight lanes, ((0+1)+(2+3))+((4+5)+(6+7)) as the Go
// loops' lane sums add them: the first add gives 0+1, 2+3 | 4+5, 6+7 in
// each half, the second (0+1)+(2+3) | (4+5)+(6+7).
#define SUM8PS(s, sx, tmpx) \
	VHADDPS      s, s, s; \
	VHADDPS      s, s, s; \
	VEXTRACTF128 $1, s, tmpx; \
	VADDSS       tmpx, sx, sx
