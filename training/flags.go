package training

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/distill-ml/distill/student"
	"github.com/spf13/pflag"
)

// FlagName returns the command-line flag of a Config field's YAML key:
// "max_query_length" → "max-query-length".
func FlagName(yamlKey string) string { return strings.ReplaceAll(yamlKey, "_", "-") }

// RegisterFlags adds one flag per Config field to fs, bound to the fields of
// c, whose current values are the defaults shown in the help. The usage is
// the field's help tag.
func RegisterFlags(fs *pflag.FlagSet, c *Config) { registerFlags(fs, c) }

// registerFlags adds one flag per field of the struct c points to (see
// RegisterFlags).
func registerFlags(fs *pflag.FlagSet, c any) {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, usage := FlagName(yamlKey(f)), f.Tag.Get("help")
		switch p := v.Field(i).Addr().Interface().(type) {
		case *string:
			fs.StringVar(p, name, *p, usage)
		case *student.Kind:
			fs.StringVar((*string)(p), name, string(*p), usage)
		case *int:
			fs.IntVar(p, name, *p, usage)
		case *float64:
			fs.Float64Var(p, name, *p, usage)
		case *uint64:
			fs.Uint64Var(p, name, *p, usage)
		case *bool:
			fs.BoolVar(p, name, *p, usage)
		default:
			panic(fmt.Sprintf("training: %s.%s has an unsupported flag type %T", t.Name(), f.Name, p))
		}
	}
}

// ResolveConfig returns the configuration a command line asks for: the
// defaults, overridden by the YAML file at path (when not empty),
// overridden by every flag of fs that was set on the command line. fromFlags
// is the Config that RegisterFlags bound to fs.
func ResolveConfig(path string, fs *pflag.FlagSet, fromFlags *Config) (Config, error) {
	c := DefaultConfig()
	if path != "" {
		var err error
		if c, err = ReadConfigFile(path, c); err != nil {
			return c, err
		}
	}
	setChangedFlags(&c, fromFlags, fs)
	return c, nil
}

// setChangedFlags copies into the struct dst points to the fields of src
// (the same type, bound to fs by registerFlags) whose flags were set on
// the command line.
func setChangedFlags(dst, src any, fs *pflag.FlagSet) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	t := d.Type()
	for i := range t.NumField() {
		if f := fs.Lookup(FlagName(yamlKey(t.Field(i)))); f != nil && f.Changed {
			d.Field(i).Set(s.Field(i))
		}
	}
}

func yamlKey(f reflect.StructField) string {
	return strings.Split(f.Tag.Get("yaml"), ",")[0]
}
