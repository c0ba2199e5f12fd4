package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// tokenKind says which token a method accepts.
type tokenKind int

const (
	botTokenKind tokenKind = iota
	appTokenKind
)

type apiHandler struct {
	token tokenKind
	fn    func(*apiRequest) (jsonObject, *apiError)
}

// apiError is a failed Web API answer.
type apiError struct {
	code       string
	status     int // HTTP status; 0 means 200
	retryAfter int // seconds, for 429
	messages   []string
}

func fail(code string, messages ...string) *apiError {
	return &apiError{code: code, messages: messages}
}

// apiRequest is a parsed Web API request. Form, query and multipart fields
// and the top-level fields of a JSON body are all available through str.
type apiRequest struct {
	method string
	token  string
	params url.Values
	json   map[string]json.RawMessage // nil unless the body was JSON
	body   []byte
}

func (r *apiRequest) str(name string) string { return r.params.Get(name) }

func (r *apiRequest) has(name string) bool {
	_, ok := r.params[name]
	return ok
}

func (r *apiRequest) boolean(name string) bool {
	b, _ := strconv.ParseBool(r.params.Get(name))
	return b
}

func (r *apiRequest) integer(name string, def int) int {
	v := r.params.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

// raw returns a JSON-valued parameter: a field of a JSON body as is (or, when
// it is a string, its content), or a form field's text.
func (r *apiRequest) raw(name string) json.RawMessage {
	if r.json != nil {
		v, ok := r.json[name]
		if !ok || string(v) == "null" {
			return nil
		}
		if len(v) > 0 && v[0] == '"' {
			var s string
			if json.Unmarshal(v, &s) == nil {
				return json.RawMessage(s)
			}
		}
		return v
	}
	if v := r.params.Get(name); v != "" {
		return json.RawMessage(v)
	}
	return nil
}

func (s *Server) apiHandlers() map[string]apiHandler {
	bot := func(fn func(*apiRequest) (jsonObject, *apiError)) apiHandler {
		return apiHandler{token: botTokenKind, fn: fn}
	}
	return map[string]apiHandler{
		"apps.connections.open": {token: appTokenKind, fn: s.appsConnectionsOpen},
		"auth.test":             bot(s.authTest),
		"team.info":             bot(s.teamInfoMethod),

		"users.info":          bot(s.usersInfo),
		"users.list":          bot(s.usersList),
		"users.lookupByEmail": bot(s.usersLookupByEmail),

		"conversations.open":    bot(s.conversationsOpen),
		"conversations.info":    bot(s.conversationsInfo),
		"conversations.list":    bot(s.conversationsList),
		"conversations.members": bot(s.conversationsMembers),
		"conversations.history": bot(s.conversationsHistory),

		"chat.postMessage":   bot(s.chatPostMessage),
		"chat.postEphemeral": bot(s.chatPostEphemeral),
		"chat.update":        bot(s.chatUpdate),
		"chat.delete":        bot(s.chatDelete),
		"chat.getPermalink":  bot(s.chatGetPermalink),

		"views.open":    bot(s.viewsOpen),
		"views.push":    bot(s.viewsPush),
		"views.update":  bot(s.viewsUpdate),
		"views.publish": bot(s.viewsPublish),

		"files.getUploadURLExternal":   bot(s.filesGetUploadURLExternal),
		"files.completeUploadExternal": bot(s.filesCompleteUploadExternal),
	}
}

const maxRequestBody = 32 << 20

// serveAPI answers /api/<method>.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	req, perr := parseAPIRequest(r, method)
	call := Call{Method: method, Time: s.now(), Token: req.token, Params: redact(req.params)}
	if req.json != nil {
		call.JSON = req.body
	}

	var res jsonObject
	var aerr *apiError
	switch h, ok := s.handlers[method]; {
	case perr != nil:
		aerr = perr
		s.logf("bad %s request: %s", method, perr.code)
	case !ok:
		aerr = fail("unknown_method")
		s.logf("unknown Web API method %q", method)
	default:
		if code := s.checkToken(h.token, req.token); code != "" {
			aerr = fail(code)
		} else if aerr = s.faults.check(method, s.now()); aerr == nil {
			res, aerr = s.call(h, req)
		}
	}
	status, body := s.encodeAnswer(res, aerr)
	call.Status, call.Response = status, body
	call.Error = callError(status, aerr)
	s.calls.add(call)

	if aerr != nil && aerr.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(aerr.retryAfter))
	}
	writeJSON(w, status, body)
}

// call runs a handler, turning a panic (a bug in the fake) into fatal_error.
func (s *Server) call(h apiHandler, req *apiRequest) (res jsonObject, aerr *apiError) {
	defer func() {
		if p := recover(); p != nil {
			s.logf("BUG: %s panicked: %v", req.method, p)
			res, aerr = nil, fail("fatal_error")
		}
	}()
	return h.fn(req)
}

func callError(status int, aerr *apiError) string {
	switch {
	case aerr != nil && aerr.code != "":
		return aerr.code
	case status != http.StatusOK:
		return fmt.Sprintf("http_%d", status)
	}
	return ""
}

// encodeAnswer renders a result or an error as Slack's JSON envelope.
func (s *Server) encodeAnswer(res jsonObject, aerr *apiError) (int, []byte) {
	status := http.StatusOK
	var out jsonObject
	if aerr != nil {
		if aerr.status != 0 {
			status = aerr.status
		}
		out = jsonObject{"ok": false, "error": aerr.code}
		if len(aerr.messages) > 0 {
			out["response_metadata"] = jsonObject{"messages": aerr.messages}
		}
	} else {
		out = res
		if out == nil {
			out = jsonObject{}
		}
		out["ok"] = true
	}
	body, err := json.Marshal(out)
	if err != nil {
		s.logf("encoding answer: %v", err)
		return http.StatusInternalServerError, []byte(`{"ok":false,"error":"fatal_error"}`)
	}
	return status, body
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// checkToken validates the token for a method kind, answering like Slack.
func (s *Server) checkToken(kind tokenKind, tok string) string {
	want, other := s.botToken, s.appToken
	if kind == appTokenKind {
		want, other = other, want
	}
	switch tok {
	case "":
		return "not_authed"
	case want:
		return ""
	case other:
		return "not_allowed_token_type"
	}
	return "invalid_auth"
}

// parseAPIRequest reads the token and parameters of a Web API request. It
// always returns a request (possibly empty) for recording.
func parseAPIRequest(r *http.Request, method string) (*apiRequest, *apiError) {
	req := &apiRequest{method: method, params: url.Values{}}
	maps.Copy(req.params, r.URL.Query())
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		req.token = strings.TrimSpace(strings.TrimPrefix(auth, "Bearer "))
	}
	defer func() {
		if req.token == "" {
			req.token = req.params.Get("token")
		}
	}()

	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ctype == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxRequestBody); err != nil {
			return req, fail("invalid_form_data")
		}
		for k, v := range r.MultipartForm.Value {
			req.params[k] = append(req.params[k], v...)
		}
		return req, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRequestBody))
	if err != nil {
		return req, fail("request_timeout")
	}
	req.body = body
	switch ctype {
	case "application/json":
		req.json = map[string]json.RawMessage{}
		if len(bytes.TrimSpace(body)) == 0 {
			return req, nil
		}
		if err := json.Unmarshal(body, &req.json); err != nil {
			return req, fail("invalid_json")
		}
		for k, v := range req.json {
			var s string
			if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil {
				req.params.Set(k, s)
			} else if string(v) != "null" {
				req.params.Set(k, string(v))
			}
		}
	default: // form-urlencoded, text/plain or missing
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return req, fail("invalid_form_data")
		}
		for k, v := range form {
			req.params[k] = append(req.params[k], v...)
		}
	}
	return req, nil
}

// redact copies params without the token.
func redact(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k != "token" {
			out[k] = vs
		}
	}
	return out
}
