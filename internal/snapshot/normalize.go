package snapshot

import (
	"reflect"
	"strings"
)

// Normalize replaces nil slices and maps in fields that are always written (no
// omitempty) with empty ones, everywhere in the snapshot. JSON readers, and the
// schema, then see [] for "looked and found none" instead of null; whether the
// looking succeeded is the coverage's job to say, not the list's.
func (s *Snapshot) Normalize() { normalize(reflect.ValueOf(s).Elem()) }

func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			normalize(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			normalize(v.Index(i))
		}
	case reflect.Map:
		// Map values are not addressable; the model keeps no structs with slices in
		// maps, so only the map itself is made non-nil, by its field below.
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f, fv := t.Field(i), v.Field(i)
			if !f.IsExported() {
				continue
			}
			if always(f) && fv.IsNil() {
				switch fv.Kind() {
				case reflect.Slice:
					fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
				case reflect.Map:
					fv.Set(reflect.MakeMap(fv.Type()))
				}
			}
			normalize(fv)
		}
	}
}

// always reports whether a slice or map field is written even when empty.
func always(f reflect.StructField) bool {
	k := f.Type.Kind()
	if k != reflect.Slice && k != reflect.Map {
		return false
	}
	tag := f.Tag.Get("json")
	return tag != "-" && !strings.Contains(tag, ",omitempty")
}
