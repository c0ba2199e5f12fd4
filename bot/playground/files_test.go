package playground

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/slack-go/slack"
)

// TestExportsDownload: a file that is not an image (an /okr export) is
// listed with its name and downloaded as an attachment, never served as a
// page.
func TestExportsDownload(t *testing.T) {
	p := newPage(t)
	data := []byte("PK\x03\x04 not really a zip, but bytes")
	sum, err := p.api.UploadFile(slack.UploadFileParameters{Reader: bytes.NewReader(data), FileSize: len(data),
		Filename: "okrbot-payments-2026-11-16.zip", Title: "okrbot-payments-2026-11-16.zip", Channel: p.slack.DMChannel(Ana)})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []renderedMessage
	p.get("/api/conversation?user="+Ana+"&id="+p.slack.DMChannel(Ana), &msgs)
	if len(msgs) != 1 || len(msgs[0].Files) != 1 || msgs[0].Files[0].Name != "okrbot-payments-2026-11-16.zip" {
		t.Fatalf("ana's DM: got %+v, want the zip, named", msgs)
	}
	resp, err := http.Get(p.http.URL + "/api/file/" + sum.ID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/octet-stream" ||
		cd != `attachment; filename=okrbot-payments-2026-11-16.zip` || !bytes.Equal(body, data) {
		t.Errorf("download: Content-Type %q, Content-Disposition %q, %d bytes", ct, cd, len(body))
	}
}
