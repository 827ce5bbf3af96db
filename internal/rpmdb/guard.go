package rpmdb

// go-rpmdb walks a database in a goroutine of its own and sends each header down a
// channel. On a damaged file that goroutine can index past a page (a panic no caller
// can recover: the process dies), follow an overflow chain forever, allocate
// gigabytes from a length field, or block for ever on its channel once the reader
// has given up. So before go-rpmdb sees a file, the guard below walks it the same
// way with every offset checked, and refuses the file when go-rpmdb's walk would go
// wrong. It also gives the errors a reader can act on ("truncated at page 812")
// instead of a bare "EOF".

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"slices"

	"github.com/anchore/go-rpmdb/pkg/bdb"
)

type format int

const (
	formatSQLite format = iota + 1
	formatNDB
	formatBDB
)

var sqliteMagic = []byte("SQLite format 3\x00")

const (
	ndbHeaderMagic = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic   = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic   = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbHeaderSize  = 32
	ndbSlotSize    = 16
	// go-rpmdb refuses more slot pages than this, to bound its allocation.
	ndbMaxSlotPages = 2048
	ndbSlotsPerPage = 4096 / ndbSlotSize
)

// detect tells the format the way go-rpmdb's Open decides it (SQLite, then NDB, then
// Berkeley DB), so the guard checks the walk that will actually happen.
func detect(f io.ReaderAt) (format, error) {
	var head [16]byte
	n, err := f.ReadAt(head[:], 0)
	if n < len(head) {
		if err == nil || err == io.EOF {
			return 0, fmt.Errorf("%w: only %d bytes long", ErrCorrupt, n)
		}
		return 0, err
	}
	switch {
	case bytes.Equal(head[:], sqliteMagic):
		return formatSQLite, nil
	case binary.LittleEndian.Uint32(head[0:]) == ndbHeaderMagic:
		if v := binary.LittleEndian.Uint32(head[4:]); v != 0 {
			return 0, fmt.Errorf("%w: NDB format version %d is not supported", ErrCorrupt, v)
		}
		if binary.LittleEndian.Uint32(head[12:]) == 0 {
			return 0, fmt.Errorf("%w: NDB header declares no slot pages", ErrCorrupt)
		}
		return formatNDB, nil
	}
	switch binary.LittleEndian.Uint32(head[12:]) {
	case bdb.HashMagicNumber, bdb.HashMagicNumberBE:
		return formatBDB, nil
	}
	return 0, fmt.Errorf("%w: neither SQLite, NDB nor a Berkeley DB hash file", ErrCorrupt)
}

// checkHeader checks what go-rpmdb trusts in an RPM header blob before it allocates
// or scans: the index count and data length at its head (a real header holds exactly
// 8 + 16*il + dl bytes), and the string tags. go-rpmdb looks for a tag's strings one
// NUL at a time and, where rpm stops at the first string without one, goes on for
// as many strings as the tag claims: a count of four billion is a hang. Nor does it
// keep tags from overlapping, so many tags over the same long run of text are
// quadratic; the scan budget bounds that.
func checkHeader(b []byte) error {
	if len(b) < 8 {
		return fmt.Errorf("%w: a package header of %d bytes", ErrCorrupt, len(b))
	}
	il := uint64(binary.BigEndian.Uint32(b[0:]))
	dl := uint64(binary.BigEndian.Uint32(b[4:]))
	if il < 1 || 8+16*il+dl > uint64(len(b)) {
		return fmt.Errorf("%w: a package header declares %d tags and %d data bytes but holds %d bytes", ErrCorrupt, il, dl, len(b))
	}
	data := b[8+16*il : 8+16*il+dl]
	var nuls []int // where data has a NUL, found when first needed
	budget := 8*len(b) + 1<<20
	for i := range il {
		e := b[8+16*i:]
		tag := int32(binary.BigEndian.Uint32(e[0:]))
		typ := binary.BigEndian.Uint32(e[4:])
		off := int64(int32(binary.BigEndian.Uint32(e[8:])))
		count := int(binary.BigEndian.Uint32(e[12:]))
		switch {
		case typ != rpmString && typ != rpmStringArray && typ != rpmI18NString,
			typ == rpmString && count != 1,
			off < 0 || off >= int64(dl):
			continue // go-rpmdb refuses these before it scans
		}
		if nuls == nil {
			nuls = make([]int, 0, 64)
			for j, c := range data {
				if c == 0 {
					nuls = append(nuls, j)
				}
			}
		}
		first, _ := slices.BinarySearch(nuls, int(off))
		if len(nuls)-first < count {
			return fmt.Errorf("%w: tag %d of a package header claims %d strings where its data holds %d", ErrCorrupt, tag, count, len(nuls)-first)
		}
		if count == 0 {
			continue
		}
		if budget -= nuls[first+count-1] - int(off) + 1; budget < 0 {
			return fmt.Errorf("%w: the string tags of a package header overlap", ErrCorrupt)
		}
	}
	return nil
}

// RPM header tag types whose length go-rpmdb finds by scanning for NULs.
const (
	rpmString      = 6
	rpmStringArray = 8
	rpmI18NString  = 9
)

// guardBDB walks a Berkeley DB hash file as go-rpmdb's bdb.Read does. Several of
// go-rpmdb's offsets are uint16 sums that wrap, so every bound below is also held
// under 0xFFFF.
func guardBDB(f io.ReaderAt, size int64) error {
	meta := make([]byte, 512)
	if _, err := f.ReadAt(meta, 0); err != nil && err != io.EOF {
		return err
	}
	hm, err := bdb.ParseHashMetadataPage(meta)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	ps := int64(hm.PageSize)
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return fmt.Errorf("%w: page size %d", ErrCorrupt, hm.PageSize)
	}
	limit := min(int(ps), 0xFFFF)
	order := binary.ByteOrder(binary.LittleEndian)
	if hm.Swapped {
		order = binary.BigEndian
	}
	// In a sound file every overflow page belongs to one record, so reading more
	// of them than the file holds means chains loop or overlap.
	budget := size / ps
	page := make([]byte, ps)
	ov := make([]byte, ps)
	readPage := func(buf []byte, no uint32) error {
		off := int64(no) * ps
		if off+ps > size {
			return fmt.Errorf("%w: page %d lies beyond the end of the file (%d bytes): the file is truncated", ErrCorrupt, no, size)
		}
		// go-rpmdb computes the offset of an overflow page in 32 bits.
		if off+ps > 1<<32 {
			return fmt.Errorf("%w: page %d lies beyond 4 GiB", ErrCorrupt, no)
		}
		_, err := f.ReadAt(buf, off)
		if err == io.EOF {
			err = nil
		}
		return err
	}
	for no := uint32(0); no <= hm.LastPageNo; no++ {
		if err := readPage(page, no); err != nil {
			return err
		}
		hp, err := bdb.ParseHashPage(page, hm.Swapped)
		if err != nil {
			return fmt.Errorf("%w: page %d: %v", ErrCorrupt, no, err)
		}
		if hp.PageType != bdb.HashUnsortedPageType && hp.PageType != bdb.HashPageType {
			continue
		}
		if hp.NumEntries%2 != 0 || bdb.PageHeaderSize+2*int(hp.NumEntries) > limit {
			return fmt.Errorf("%w: hash page %d claims %d entries", ErrCorrupt, no, hp.NumEntries)
		}
		// Entries alternate key, value; the records are the values.
		for i := 1; i < int(hp.NumEntries); i += 2 {
			at := int(order.Uint16(page[bdb.PageHeaderSize+2*i:]))
			if at >= int(ps) {
				return fmt.Errorf("%w: hash page %d: entry %d points outside the page", ErrCorrupt, no, i)
			}
			if page[at] != bdb.HashOffIndexPageType {
				continue
			}
			if at+bdb.HashOffPageSize > limit {
				return fmt.Errorf("%w: hash page %d: entry %d runs past the page", ErrCorrupt, no, i)
			}
			e, err := bdb.ParseHashOffPageEntry(page[at:at+bdb.HashOffPageSize], hm.Swapped)
			if err != nil {
				return fmt.Errorf("%w: hash page %d: %v", ErrCorrupt, no, err)
			}
			var rec []byte
			for next := e.PageNo; next != 0; {
				if budget--; budget < 0 {
					return fmt.Errorf("%w: overflow pages form a loop or are shared between records", ErrCorrupt)
				}
				if err := readPage(ov, next); err != nil {
					return err
				}
				op, err := bdb.ParseHashPage(ov, hm.Swapped)
				if err != nil {
					return fmt.Errorf("%w: page %d: %v", ErrCorrupt, next, err)
				}
				if op.PageType != bdb.OverflowPageType {
					// go-rpmdb would retry this page for ever.
					return fmt.Errorf("%w: a record continues on page %d, which is of type %d, not an overflow page", ErrCorrupt, next, op.PageType)
				}
				if op.NextPageNo == 0 {
					end := bdb.PageHeaderSize + int(op.FreeAreaOffset)
					if end > limit {
						return fmt.Errorf("%w: overflow page %d claims %d bytes", ErrCorrupt, next, op.FreeAreaOffset)
					}
					rec = append(rec, ov[bdb.PageHeaderSize:end]...)
				} else {
					rec = append(rec, ov[bdb.PageHeaderSize:]...)
				}
				next = op.NextPageNo
			}
			if err := checkHeader(rec); err != nil {
				return fmt.Errorf("record on hash page %d: %w", no, err)
			}
		}
	}
	return nil
}

// guardNDB walks an NDB Packages.db as go-rpmdb's ndb.Read does. That reader goes on
// after a bad blob, so the first bad one would leave it blocked on its channel; it
// also prints bad slots to standard output.
func guardNDB(f io.ReaderAt, size int64) error {
	hdr := make([]byte, ndbHeaderSize)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		if err == io.EOF {
			return fmt.Errorf("%w: NDB header is truncated", ErrCorrupt)
		}
		return err
	}
	pages := int64(binary.LittleEndian.Uint32(hdr[12:]))
	if pages > ndbMaxSlotPages {
		return fmt.Errorf("%w: NDB header declares %d slot pages", ErrCorrupt, pages)
	}
	// The header takes the room of the first two slots.
	nslots := pages*ndbSlotsPerPage - 2
	if ndbHeaderSize+nslots*ndbSlotSize > size {
		return fmt.Errorf("%w: NDB slot pages run past the end of the file (%d bytes): the file is truncated", ErrCorrupt, size)
	}
	slots := make([]byte, nslots*ndbSlotSize)
	if _, err := f.ReadAt(slots, ndbHeaderSize); err != nil && err != io.EOF {
		return err
	}
	var bh [16]byte
	for i := int64(0); i < nslots; i++ {
		s := slots[i*ndbSlotSize:]
		if binary.LittleEndian.Uint32(s[0:]) != ndbSlotMagic {
			return fmt.Errorf("%w: NDB slot %d has a bad magic number", ErrCorrupt, i)
		}
		pkg := binary.LittleEndian.Uint32(s[4:])
		if pkg == 0 {
			continue
		}
		off := int64(binary.LittleEndian.Uint32(s[8:])) * ndbSlotSize
		if off+int64(len(bh)) > size {
			return fmt.Errorf("%w: NDB package %d lies beyond the end of the file (%d bytes): the file is truncated", ErrCorrupt, pkg, size)
		}
		if _, err := f.ReadAt(bh[:], off); err != nil && err != io.EOF {
			return err
		}
		if binary.LittleEndian.Uint32(bh[0:]) != ndbBlobMagic || binary.LittleEndian.Uint32(bh[4:]) != pkg {
			return fmt.Errorf("%w: NDB slot %d does not point at the blob of package %d", ErrCorrupt, i, pkg)
		}
		n := int64(binary.LittleEndian.Uint32(bh[12:]))
		if off+int64(len(bh))+n > size {
			return fmt.Errorf("%w: NDB package %d runs past the end of the file (%d bytes): the file is truncated", ErrCorrupt, pkg, size)
		}
		blob := make([]byte, n)
		if _, err := f.ReadAt(blob, off+int64(len(bh))); err != nil && err != io.EOF {
			return err
		}
		if err := checkHeader(blob); err != nil {
			return fmt.Errorf("NDB package %d: %w", pkg, err)
		}
	}
	return nil
}

// guardSQLite reads every header go-rpmdb will read. Its reader goes on after a
// failed query or scan, so any error there would leave it blocked on its channel.
func guardSQLite(path string) error {
	db, err := sql.Open("sqlite", sqliteURI(path))
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query("SELECT blob FROM Packages")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if b == nil {
			return fmt.Errorf("%w: a row of the Packages table has no header", ErrCorrupt)
		}
		if err := checkHeader(b); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// sqliteURI is how go-rpmdb opens the file: read-only and immutable, so nothing is
// written beside it and no lock is taken on a mounted disk.
func sqliteURI(path string) string { return fmt.Sprintf("file:%s?mode=ro&immutable=1", path) }
