package charts

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"sync"
)

// encodePNG writes an opaque RGBA image as a lossless PNG, fast.
//
// image/png tries five row filters on every row and took two thirds of a
// chart's render time. Charts are mostly flat colour, which deflate packs
// well without filtering, so this writes unfiltered rows at zlib's best
// speed: about 4× faster and no bigger. Images with at most 256 colours (the
// overview) are written as paletted PNGs, which are smaller still. Images
// with transparency fall back to image/png. The output is deterministic.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w == 0 || h == 0 {
		return stdPNG(img)
	}
	sc := scratchPool.Get().(*pngScratch)
	defer scratchPool.Put(sc)

	paletted, opaque, err := sc.compressPaletted(img)
	if err != nil {
		return nil, err
	}
	if !paletted && opaque {
		if opaque, err = sc.compressRGB(img); err != nil {
			return nil, err
		}
	}
	if !opaque {
		return stdPNG(img)
	}

	out := bytes.NewBuffer(make([]byte, 0, sc.z.Len()+1024))
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bit depth
	ihdr[9] = 2 // RGB
	if paletted {
		ihdr[9] = 3
	}
	writeChunk(out, "IHDR", ihdr[:])
	if paletted {
		plte := make([]byte, 0, 3*len(sc.pal))
		for _, c := range sc.pal {
			plte = append(plte, byte(c), byte(c>>8), byte(c>>16))
		}
		writeChunk(out, "PLTE", plte)
	}
	writeChunk(out, "IDAT", sc.z.Bytes())
	writeChunk(out, "IEND", nil)
	return out.Bytes(), nil
}

func stdPNG(img *image.RGBA) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pngScratch is the memory one encoding needs, kept for the next: the zlib
// writer alone allocates over a megabyte.
type pngScratch struct {
	zw    *zlib.Writer
	z     bytes.Buffer // the compressed rows
	row   []byte
	pal   []uint32 // colours as little-endian RGBA: R in the low byte
	index map[uint32]byte
}

var scratchPool = sync.Pool{New: func() any { return &pngScratch{index: make(map[uint32]byte, 256)} }}

// startZlib points the zlib writer at a cleared sc.z.
func (sc *pngScratch) startZlib() error {
	sc.z.Reset()
	if sc.zw != nil {
		sc.zw.Reset(&sc.z)
		return nil
	}
	zw, err := zlib.NewWriterLevel(&sc.z, zlib.BestSpeed)
	sc.zw = zw
	return err
}

// grow returns (*b)[:n], reallocating when it is too short.
func grow(b *[]byte, n int) []byte {
	if cap(*b) < n {
		*b = make([]byte, n)
	}
	return (*b)[:n]
}

// compressPaletted compresses img's rows as palette indices into sc.z, the
// colours into sc.pal (in order of first appearance), in one pass over the
// pixels. It gives up at the 257th colour (paletted false, opaque true: the
// caller checks the alpha of the rest) or at a pixel that is not opaque
// (opaque false). Runs of one colour are looked up once.
func (sc *pngScratch) compressPaletted(img *image.RGBA) (paletted, opaque bool, err error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if err := sc.startZlib(); err != nil {
		return false, false, err
	}
	clear(sc.index)
	sc.pal = sc.pal[:0]
	row := grow(&sc.row, 1+w)
	row[0] = 0 // filter type 0 (none)
	// prev starts as anything but the first pixel, so that one is looked at.
	prev, prevIdx := ^binary.LittleEndian.Uint32(img.Pix), byte(0)
	for y := range h {
		p := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			v := binary.LittleEndian.Uint32(p[4*x:])
			if v == prev {
				row[1+x] = prevIdx
				continue
			}
			if v>>24 != 0xff {
				return false, false, nil
			}
			i, ok := sc.index[v]
			if !ok {
				if len(sc.pal) == 256 {
					return false, true, nil
				}
				i = byte(len(sc.pal))
				sc.index[v] = i
				sc.pal = append(sc.pal, v)
			}
			prev, prevIdx = v, i
			row[1+x] = i
		}
		if _, err := sc.zw.Write(row); err != nil {
			return false, false, err
		}
	}
	return true, true, sc.zw.Close()
}

// compressRGB compresses img's rows as RGB into sc.z; opaque is false when
// a pixel is not (sc.z is then of no use).
func (sc *pngScratch) compressRGB(img *image.RGBA) (opaque bool, err error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if err := sc.startZlib(); err != nil {
		return false, err
	}
	// Each pixel is stored as 4 bytes (RGBA) and the next one overwrites its
	// A: one store instead of three, and one spare byte at the end.
	row := grow(&sc.row, 1+3*w+1)
	row[0] = 0
	all := ^uint32(0) // AND of every pixel: its top byte is the AND of the alphas
	for y := range h {
		p := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x, j := 0, 1; x+4 <= len(p); x, j = x+4, j+3 {
			v := binary.LittleEndian.Uint32(p[x:])
			all &= v
			binary.LittleEndian.PutUint32(row[j:], v)
		}
		if _, err := sc.zw.Write(row[:1+3*w]); err != nil {
			return false, err
		}
	}
	return all>>24 == 0xff, sc.zw.Close()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}
