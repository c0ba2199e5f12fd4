package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Response URL limits, as documented by Slack.
const (
	responseURLMaxUses = 5
	responseURLTTL     = 30 * time.Minute
)

// responseURL is an issued response_url.
type responseURL struct {
	teamID    string
	channelID string
	userID    string
	originTS  string // message an interaction came from (replace/delete_original)
	created   time.Time
	uses      int
}

type responseURLStore struct {
	mu sync.Mutex
	m  map[string]*responseURL
}

func (st *responseURLStore) init() { st.m = map[string]*responseURL{} }

// issueResponseURL hands out a response URL bound to a channel and user.
func (s *Server) issueResponseURL(teamID, channelID, userID, originTS string) string {
	id := s.newID("R") + randomHex(8)
	st := &s.resp
	st.mu.Lock()
	st.m[id] = &responseURL{teamID: teamID, channelID: channelID, userID: userID, originTS: originTS, created: s.now()}
	st.mu.Unlock()
	return s.baseURL + "/response/" + id
}

// serveResponseURL answers POSTs to response URLs: up to 5 within 30
// minutes, then {"ok":false,"error":"used_up"}; after 30 minutes or for
// unknown URLs, 404.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	call := Call{Method: MethodResponseURL, Time: s.now(), Params: url.Values{"response_url_id": {id}}, JSON: body}
	status, res, aerr := s.postResponseURL(id, body, call.Params)
	if aerr != nil {
		if aerr.status != 0 {
			status = aerr.status
		}
		res = jsonObject{"ok": false, "error": aerr.code}
		call.Error = aerr.code
	}
	call.Status = status
	call.Response, _ = json.Marshal(res)
	s.calls.add(call)
	if aerr != nil && aerr.retryAfter > 0 {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, call.Response)
}

func (s *Server) postResponseURL(id string, body []byte, params url.Values) (int, jsonObject, *apiError) {
	now := s.now()
	st := &s.resp
	st.mu.Lock()
	ru, ok := st.m[id]
	if !ok || now.Sub(ru.created) > responseURLTTL {
		st.mu.Unlock()
		return http.StatusNotFound, nil, &apiError{code: "expired_url", status: http.StatusNotFound}
	}
	if ru.uses >= responseURLMaxUses {
		st.mu.Unlock()
		return http.StatusOK, nil, fail("used_up")
	}
	info := *ru
	st.mu.Unlock()

	if aerr := s.faults.check(MethodResponseURL, now); aerr != nil {
		return http.StatusOK, nil, aerr
	}
	req := &apiRequest{method: MethodResponseURL, params: url.Values{}, json: map[string]json.RawMessage{}, body: body}
	if err := json.Unmarshal(body, &req.json); err != nil {
		return http.StatusBadRequest, nil, &apiError{code: "invalid_payload", status: http.StatusBadRequest}
	}
	for k, v := range req.json {
		var s string
		if json.Unmarshal(v, &s) == nil {
			req.params.Set(k, s)
		} else if string(v) != "null" {
			req.params.Set(k, string(v))
		}
	}
	for k, v := range req.params {
		params[k] = v
	}
	c, aerr := s.readContent(req)
	if aerr != nil {
		return http.StatusOK, nil, aerr
	}

	st.mu.Lock()
	if ru.uses >= responseURLMaxUses {
		st.mu.Unlock()
		return http.StatusOK, nil, fail("used_up")
	}
	ru.uses++
	st.mu.Unlock()

	switch {
	case req.boolean("delete_original"):
		if info.originTS != "" {
			s.msgs.edit(info.channelID, info.originTS, now, func(m *Message) string {
				m.Deleted = true
				return ""
			})
		}
	case req.boolean("replace_original") && info.originTS != "":
		if c.empty() {
			return http.StatusOK, nil, fail("no_text")
		}
		// Unlike chat.update, replace_original replaces the whole message.
		c.hasText, c.hasBlocks, c.hasAttachments = true, true, true
		if c.blockCount == 0 {
			c.blocks = nil
		}
		_, code := s.msgs.edit(info.channelID, info.originTS, now, func(m *Message) string {
			applyContent(m, &c)
			return ""
		})
		if code != "" {
			return http.StatusOK, nil, fail(code)
		}
	default:
		if c.empty() {
			return http.StatusOK, nil, fail("no_text")
		}
		rt := req.str("response_type")
		if rt != "in_channel" {
			rt = "ephemeral"
		}
		m := &Message{
			Channel:      info.channelID,
			TeamID:       info.teamID,
			User:         s.cfg.botUserID,
			BotID:        s.cfg.botID,
			Text:         c.text,
			Attachments:  c.attachments,
			ThreadTS:     req.str("thread_ts"),
			ResponseType: rt,
			Ephemeral:    rt == "ephemeral",
			Source:       SourceResponseURL,
		}
		if m.Ephemeral {
			m.EphemeralTo = info.userID
		}
		if c.blockCount > 0 {
			m.RawBlocks, m.Blocks = c.blocks, parseBlocks(c.blocks)
		}
		s.msgs.add(m, now)
	}
	return http.StatusOK, jsonObject{"ok": true}, nil
}
