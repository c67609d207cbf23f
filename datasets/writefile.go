package datasets

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/distill-ml/distill/internal/fsutil"
)

// filePerm is the mode of the files the writers create.
const filePerm = 0o644

// writeFile creates path atomically (see fsutil.WriteAtomic) with the content
// that fn writes, creating missing parent folders and gzip-compressing when the
// name ends in ".gz". Either the complete file appears or nothing does.
func writeFile(path string, fn func(w *bufio.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return fsutil.WriteAtomic(path, filePerm, func(w io.Writer) error {
		var zw *gzip.Writer
		if strings.HasSuffix(path, ".gz") {
			zw = gzip.NewWriter(w)
			w = zw
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := fn(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if zw != nil {
			return zw.Close()
		}
		return nil
	})
}
