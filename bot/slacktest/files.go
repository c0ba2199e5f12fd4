package slacktest

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// File is a file uploaded through files.getUploadURLExternal, the upload URL
// and files.completeUploadExternal.
type File struct {
	ID             string
	Name           string // filename given to files.getUploadURLExternal
	Title          string // from files.completeUploadExternal
	AltText        string
	SnippetType    string
	Length         int    // length announced to files.getUploadURLExternal
	Data           []byte // the uploaded bytes
	Uploaded       bool   // bytes were POSTed to the upload URL
	Completed      bool   // files.completeUploadExternal was called
	Channels       []string
	InitialComment string
	ThreadTS       string
	MessageTS      []string // ts of the share messages, one per channel
	UploadURL      string
	Time           time.Time
}

type fileStore struct {
	mu       sync.Mutex
	files    map[string]*File
	order    []string
	byUpload map[string]string // upload token → file ID
}

func (st *fileStore) init() {
	st.files = map[string]*File{}
	st.byUpload = map[string]string{}
}

// Files returns all files in the order their upload URLs were requested.
func (s *Server) Files() []File {
	st := &s.files
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]File, 0, len(st.order))
	for _, id := range st.order {
		out = append(out, copyFile(st.files[id]))
	}
	return out
}

// File returns a file by ID.
func (s *Server) File(id string) (File, bool) {
	st := &s.files
	st.mu.Lock()
	defer st.mu.Unlock()
	f, ok := st.files[id]
	if !ok {
		return File{}, false
	}
	return copyFile(f), true
}

func copyFile(f *File) File {
	c := *f
	c.Data = slices.Clone(f.Data)
	c.Channels = slices.Clone(f.Channels)
	c.MessageTS = slices.Clone(f.MessageTS)
	return c
}

func (s *Server) filesGetUploadURLExternal(r *apiRequest) (jsonObject, *apiError) {
	name := r.str("filename")
	length, err := strconv.Atoi(r.str("length"))
	if name == "" || err != nil || length <= 0 {
		return nil, fail("invalid_arguments", "[ERROR] filename and a positive length are required")
	}
	token := randomHex(12)
	f := &File{
		ID:          s.newID("F"),
		Name:        name,
		AltText:     r.str("alt_txt"),
		SnippetType: r.str("snippet_type"),
		Length:      length,
		UploadURL:   s.baseURL + "/upload/v1/" + token,
		Time:        s.now(),
	}
	st := &s.files
	st.mu.Lock()
	st.files[f.ID] = f
	st.order = append(st.order, f.ID)
	st.byUpload[token] = f.ID
	st.mu.Unlock()
	return jsonObject{"upload_url": f.UploadURL, "file_id": f.ID}, nil
}

// serveUpload receives the bytes of a file: a raw body or the first file
// part of a multipart form (what slack-go sends).
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	call := Call{Method: MethodUpload, Time: s.now(), Params: url.Values{}}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		call.Token = strings.TrimPrefix(auth, "Bearer ")
	}
	status, body := http.StatusOK, ""
	st := &s.files
	st.mu.Lock()
	id, known := st.byUpload[token]
	st.mu.Unlock()
	data, rerr := readUpload(r)
	switch aerr := s.faults.check(MethodUpload, s.now()); {
	case r.Method != http.MethodPost:
		status, body = http.StatusMethodNotAllowed, "method not allowed"
	case !known:
		status, body = http.StatusNotFound, "upload URL not found"
	case aerr != nil:
		status, body = http.StatusOK, aerr.code
		if aerr.status != 0 {
			status = aerr.status
		}
		if aerr.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(aerr.retryAfter))
		}
	case rerr != nil:
		status, body = http.StatusBadRequest, "cannot read upload: "+rerr.Error()
	default:
		st.mu.Lock()
		f := st.files[id]
		f.Data, f.Uploaded = data, true
		name := f.Name
		st.mu.Unlock()
		body = "OK - " + strconv.Itoa(len(data))
		call.Params.Set("file_id", id)
		call.Params.Set("filename", name)
		call.Params.Set("bytes", strconv.Itoa(len(data)))
	}
	call.Status, call.Response = status, json.RawMessage(strconv.Quote(body))
	if status != http.StatusOK {
		call.Error = "http_" + strconv.Itoa(status)
	}
	s.calls.add(call)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func readUpload(r *http.Request) ([]byte, error) {
	ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(nil, r.Body, 1<<30)
	if ctype != "multipart/form-data" {
		return io.ReadAll(body)
	}
	mr := multipart.NewReader(body, params["boundary"])
	var fallback []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return fallback, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		if p.FileName() != "" {
			return data, nil
		}
		if p.FormName() == "file" || fallback == nil {
			fallback = data
		}
	}
}

func (s *Server) filesCompleteUploadExternal(r *apiRequest) (jsonObject, *apiError) {
	var summaries []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if raw := r.raw("files"); raw == nil || json.Unmarshal(raw, &summaries) != nil || len(summaries) == 0 {
		return nil, fail("invalid_arguments", "[ERROR] files must be a JSON array of {id, title}")
	}
	var channels []string
	if c := r.str("channel_id"); c != "" {
		channels = append(channels, c)
	}
	for c := range strings.SplitSeq(r.str("channels"), ",") {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(channels, c) {
			channels = append(channels, c)
		}
	}
	convs := make([]*convEntry, len(channels))
	for i, c := range channels {
		e, aerr := s.postableConv(c)
		if aerr != nil {
			return nil, aerr
		}
		convs[i] = e
	}
	content := msgContent{text: r.str("initial_comment")}
	if raw := r.raw("blocks"); raw != nil && content.text == "" {
		blocks, norm, err := normalizeBlocks(raw, s.newID)
		if err != nil {
			return nil, fail("invalid_blocks_format")
		}
		content.blocks, content.hasBlocks, content.blockCount = norm, true, len(blocks)
	}

	st := &s.files
	st.mu.Lock()
	ids := make([]string, len(summaries))
	for i, sum := range summaries {
		f, ok := st.files[sum.ID]
		if !ok || !f.Uploaded {
			st.mu.Unlock()
			return nil, fail("file_not_found")
		}
		ids[i] = f.ID
	}
	// The files lock is held while the share messages are posted, so that
	// anyone who sees a message and then looks at its file (File) finds it
	// completed, as in Slack, where the message follows the completion.
	defer st.mu.Unlock()

	var tss [][2]string // channel, ts
	for _, e := range convs {
		m := s.newBotMessage(e, &content, SourceFileShare)
		m.Files = ids
		m.ThreadTS = r.str("thread_ts")
		stored := s.msgs.add(m, s.now())
		tss = append(tss, [2]string{stored.Channel, stored.TS})
	}

	out := make([]jsonObject, len(summaries))
	for i, sum := range summaries {
		f := st.files[sum.ID]
		f.Title, f.Completed = sum.Title, true
		if f.Title == "" {
			f.Title = f.Name
		}
		f.InitialComment, f.ThreadTS = content.text, r.str("thread_ts")
		for _, t := range tss {
			f.Channels = append(f.Channels, t[0])
			f.MessageTS = append(f.MessageTS, t[1])
		}
		out[i] = jsonObject{
			"id": f.ID, "title": f.Title, "name": f.Name, "size": len(f.Data),
			"mimetype": mime.TypeByExtension(extOf(f.Name)), "url_private": s.baseURL + "/files/" + f.ID + "/" + f.Name,
		}
	}
	return jsonObject{"files": out}, nil
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}
