package rpmdb

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Small databases built around real package headers, so tests and fuzzing can reach
// the header decoder and every branch of the guard without megabytes of input.

const synthPage = 4096

// smallHeaders returns the n smallest real package headers of a fixture, with what
// QueryAll prints for them.
func smallHeaders(t testing.TB, n int) ([][]byte, string) {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteURI(fixtures[4].path()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT blob FROM Packages ORDER BY length(blob), hnum LIMIT ?", n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var blobs [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, b)
	}
	p := filepath.Join(t.TempDir(), "rpmdb.sqlite")
	if err := os.WriteFile(p, buildSQLite(t, blobs), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := QueryAll(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(out), "\n") != n {
		t.Fatalf("%d headers gave\n%s", n, out)
	}
	return blobs, string(out)
}

func buildSQLite(t testing.TB, blobs [][]byte) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "build.sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		if _, err := db.Exec("INSERT INTO Packages (blob) VALUES (?)", b); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buildBDB lays headers out as rpm's Berkeley DB hash file does: a metadata page, one
// hash page of (instance number, off-page reference) pairs, and the headers on
// chains of overflow pages.
func buildBDB(blobs [][]byte) []byte {
	le := binary.LittleEndian
	var pages [][]byte
	newPage := func(typ byte) []byte {
		p := make([]byte, synthPage)
		le.PutUint32(p[8:], uint32(len(pages)))
		p[25] = typ
		pages = append(pages, p)
		return p
	}
	meta := newPage(8)
	le.PutUint32(meta[12:], 0x061561)
	le.PutUint32(meta[16:], 9)
	le.PutUint32(meta[20:], synthPage)
	hash := newPage(13)
	le.PutUint16(hash[20:], uint16(2*len(blobs)))
	end := synthPage
	for i, b := range blobs {
		end -= 12
		val := end
		end -= 5
		key := end
		hash[key] = 1 // H_KEYDATA
		le.PutUint32(hash[key+1:], uint32(i+1))
		le.PutUint16(hash[26+4*i:], uint16(key))
		le.PutUint16(hash[26+4*i+2:], uint16(val))
		hash[val] = 3 // H_OFFPAGE
		le.PutUint32(hash[val+4:], uint32(len(pages)))
		le.PutUint32(hash[val+8:], uint32(len(b)))
		for len(b) > 0 {
			ov := newPage(7)
			n := copy(ov[26:], b)
			b = b[n:]
			le.PutUint16(ov[22:], uint16(n))
			if len(b) > 0 {
				le.PutUint32(ov[16:], uint32(len(pages)))
			}
		}
	}
	le.PutUint32(meta[32:], uint32(len(pages)-1))
	var out []byte
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

// buildNDB lays headers out as rpm's NDB Packages.db does: a header, one page of
// slots, and each header as a blob aligned to 16 bytes.
func buildNDB(blobs [][]byte) []byte {
	le := binary.LittleEndian
	out := make([]byte, 4096)
	le.PutUint32(out[0:], ndbHeaderMagic)
	le.PutUint32(out[12:], 1)
	for i := 0; i < ndbSlotsPerPage-2; i++ {
		s := out[ndbHeaderSize+i*ndbSlotSize:]
		le.PutUint32(s[0:], ndbSlotMagic)
		if i >= len(blobs) {
			continue
		}
		b := blobs[i]
		off := len(out)
		blk := make([]byte, (16+len(b)+15)/16*16)
		le.PutUint32(blk[0:], ndbBlobMagic)
		le.PutUint32(blk[4:], uint32(i+1))
		le.PutUint32(blk[12:], uint32(len(b)))
		copy(blk[16:], b)
		out = append(out, blk...)
		s = out[ndbHeaderSize+i*ndbSlotSize:]
		le.PutUint32(s[4:], uint32(i+1))
		le.PutUint32(s[8:], uint32(off/16))
		le.PutUint32(s[12:], uint32(len(blk)/16))
	}
	return out
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQueryAllSynthetic(t *testing.T) {
	blobs, want := smallHeaders(t, 3)
	for name, b := range map[string][]byte{
		"Packages":    buildBDB(blobs),
		"Packages.db": buildNDB(blobs),
	} {
		out, err := QueryAll(writeTemp(t, name, b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(out) != want {
			t.Errorf("%s: got\n%s\nwant\n%s", name, out, want)
		}
	}
}

// Files on which go-rpmdb, unguarded, panics in its reader goroutine (killing the
// process), loops for ever, allocates gigabytes, or leaves its reader blocked.
func TestQueryAllHostile(t *testing.T) {
	blobs, _ := smallHeaders(t, 2)
	le := binary.LittleEndian
	bdbCase := func(mod func(b []byte)) []byte {
		b := buildBDB(blobs)
		mod(b)
		return b
	}
	ndbCase := func(mod func(b []byte)) []byte {
		b := buildNDB(blobs)
		mod(b)
		return b
	}
	// The first header's first overflow page is page 2.
	ov := 2 * synthPage
	for _, c := range []struct {
		name, file, why string
		b               []byte
	}{
		{"hash page claims more entries than fit", "Packages", "claims 65534 entries",
			bdbCase(func(b []byte) { le.PutUint16(b[synthPage+20:], 0xFFFE) })},
		{"entry offset outside the page", "Packages", "outside the page",
			bdbCase(func(b []byte) { le.PutUint16(b[synthPage+26+2:], 0xF000) })},
		{"chain reaches a page that is not an overflow page", "Packages", "not an overflow page",
			bdbCase(func(b []byte) { b[ov+25] = 13 })},
		{"chain loops", "Packages", "loop",
			bdbCase(func(b []byte) { le.PutUint32(b[ov+16:], 2) })},
		{"overflow page claims more than a page", "Packages", "claims 65520 bytes",
			bdbCase(func(b []byte) {
				last := 2
				for le.Uint32(b[last*synthPage+16:]) != 0 {
					last++
				}
				le.PutUint16(b[last*synthPage+22:], 0xFFF0)
			})},
		{"chain points past the end", "Packages", "truncated",
			bdbCase(func(b []byte) { le.PutUint32(b[ov+16:], 9999) })},
		{"header declares two billion tags", "Packages", "declares 2147483647 tags",
			bdbCase(func(b []byte) { binary.BigEndian.PutUint32(b[ov+26:], 0x7FFFFFFF) })},
		{"string tag claims four billion strings", "Packages", "claims 4294967280 strings",
			func() []byte {
				h := slices.Clone(blobs[0])
				il := int(binary.BigEndian.Uint32(h))
				for i := range il {
					if e := h[8+16*i:]; binary.BigEndian.Uint32(e[4:]) == rpmStringArray {
						binary.BigEndian.PutUint32(e[12:], 0xFFFFFFF0)
						break
					}
				}
				return buildBDB([][]byte{h, blobs[1]})
			}()},
		{"NDB blob of 4 GiB", "Packages.db", "runs past the end",
			ndbCase(func(b []byte) { le.PutUint32(b[4096+12:], 0xFFFFFFF0) })},
		{"NDB slot points at no blob", "Packages.db", "does not point at the blob",
			ndbCase(func(b []byte) { le.PutUint32(b[ndbHeaderSize+8:], 1) })},
		{"NDB bad slot", "Packages.db", "bad magic",
			ndbCase(func(b []byte) { b[ndbHeaderSize+3*ndbSlotSize] = 'X' })},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := queryWithin(t, writeTemp(t, c.file, c.b), c.name)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.why) {
				t.Errorf("got %q, %v; want an ErrCorrupt saying %q", out, err, c.why)
			}
		})
	}
}

// FuzzQueryAll feeds arbitrary files to the reader through a temporary file, seeded
// with small but real databases of each format so mutations reach the headers.
func FuzzQueryAll(f *testing.F) {
	blobs, _ := smallHeaders(f, 2)
	f.Add(buildBDB(blobs))
	f.Add(buildNDB(blobs))
	f.Add(buildSQLite(f, blobs[:1]))
	f.Add(buildBDB(blobs[:1]))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "db")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := QueryAll(p)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not say the database is corrupt: %v", err)
			}
			return
		}
		for _, l := range strings.SplitAfter(string(out), "\n") {
			if l != "" && strings.Count(l, "\t") != 7 {
				t.Fatalf("malformed line %q", l)
			}
		}
	})
}

// Tags that all scan the same long string are quadratic in go-rpmdb.
func TestCheckHeaderOverlappingStrings(t *testing.T) {
	const il, dl = 60000, 1 << 20
	h := make([]byte, 8+16*il+dl)
	binary.BigEndian.PutUint32(h[0:], il)
	binary.BigEndian.PutUint32(h[4:], dl)
	for i := range il {
		e := h[8+16*i:]
		binary.BigEndian.PutUint32(e[0:], uint32(1000+i))
		binary.BigEndian.PutUint32(e[4:], rpmStringArray)
		binary.BigEndian.PutUint32(e[12:], 1)
	}
	data := h[8+16*il:]
	for i := range data[:dl-1] {
		data[i] = 'x'
	}
	if err := checkHeader(h); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("got %v", err)
	}
	// The same tags over distinct strings are what a header is.
	for i := range il {
		data[i*16+15] = 0
		binary.BigEndian.PutUint32(h[8+16*i+8:], uint32(i*16))
	}
	if err := checkHeader(h); err != nil {
		t.Errorf("distinct strings: %v", err)
	}
}
