package store_test

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/store"
)

// TestBackupFormatDocumented: every field of the backup's types is
// described in docs/backup-format.md.
func TestBackupFormatDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/backup-format.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || ty == reflect.TypeFor[time.Time]() || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !strings.Contains(string(doc), "`"+name+"`") {
				t.Errorf("%s.%s (%q) is not described in docs/backup-format.md", ty.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[store.Backup]())
	if len(seen) < 10 {
		t.Fatalf("walked only %d types", len(seen))
	}
}
