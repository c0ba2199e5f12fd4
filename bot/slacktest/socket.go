package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Envelope types.
const (
	EnvelopeSlashCommands = "slash_commands"
	EnvelopeInteractive   = "interactive"
	EnvelopeEventsAPI     = "events_api"
)

// ErrNoAck is wrapped by the error envelope senders return when the app did
// not ack in time (3 s by default).
var ErrNoAck = errors.New("slacktest: envelope not acknowledged")

// ErrNoConnection is wrapped by the error envelope senders return when no
// Socket Mode connection was available.
var ErrNoConnection = errors.New("slacktest: no Socket Mode connection")

const writeTimeout = 10 * time.Second

// ConnInfo describes a Socket Mode connection.
type ConnInfo struct {
	ID          int // 1-based, in connection order
	ConnectedAt time.Time
	Draining    bool      // a disconnect message was sent; it gets no envelopes
	Envelopes   int       // envelopes sent on it
	LastPong    time.Time // when the client last answered a PING (zero if never)
}

// wsConn is one Socket Mode connection.
type wsConn struct {
	id          int
	ws          *websocket.Conn
	wmu         sync.Mutex // serializes data frame writes
	connectedAt time.Time
	draining    atomic.Bool
	envelopes   atomic.Int64
	lastPong    atomic.Int64 // unix nanoseconds
	done        chan struct{}
	finished    chan struct{} // closed when the connection's goroutines ended
	closeOnce   sync.Once
}

func (c *wsConn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

func (c *wsConn) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		_ = c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(100*time.Millisecond))
		_ = c.ws.Close()
	})
}

func (c *wsConn) info() ConnInfo {
	i := ConnInfo{ID: c.id, ConnectedAt: c.connectedAt, Draining: c.draining.Load(), Envelopes: int(c.envelopes.Load())}
	if p := c.lastPong.Load(); p != 0 {
		i.LastPong = time.Unix(0, p)
	}
	return i
}

// ackMsg is an ack as the reader received it.
type ackMsg struct {
	payload json.RawMessage
	at      time.Time
	connID  int
}

type socketHub struct {
	mu       sync.Mutex
	conns    []*wsConn
	nextID   int
	connects int
	rr       int
	tickets  map[string]bool
	closed   bool
	n        notifier

	pmu     sync.Mutex
	pending map[string]chan ackMsg
}

func (h *socketHub) init() {
	h.tickets = map[string]bool{}
	h.pending = map[string]chan ackMsg{}
}

func (h *socketHub) issueTicket() string {
	t := randomHex(16)
	h.mu.Lock()
	h.tickets[t] = true
	h.mu.Unlock()
	return t
}

// add registers a connection; it fails once the hub is closed.
func (h *socketHub) add(c *wsConn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.nextID++
	h.connects++
	c.id = h.nextID
	h.conns = append(h.conns, c)
	return true
}

func (h *socketHub) remove(c *wsConn) {
	h.mu.Lock()
	for i, x := range h.conns {
		if x == c {
			h.conns = append(h.conns[:i:i], h.conns[i+1:]...)
			break
		}
	}
	h.mu.Unlock()
	h.n.notify()
}

func (h *socketHub) liveLocked() int {
	n := 0
	for _, c := range h.conns {
		if !c.draining.Load() {
			n++
		}
	}
	return n
}

// closeAll closes every connection and waits for their goroutines.
func (h *socketHub) closeAll() {
	h.mu.Lock()
	h.closed = true
	conns := append([]*wsConn(nil), h.conns...)
	h.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	for _, c := range conns {
		<-c.finished
	}
}

// pick chooses a connection: the one with id, or the next live one in
// round-robin order when id is 0.
func (h *socketHub) pick(id int) (*wsConn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if id != 0 {
		for _, c := range h.conns {
			if c.id == id {
				if c.draining.Load() {
					return nil, fmt.Errorf("%w: connection %d is draining", ErrNoConnection, id)
				}
				return c, nil
			}
		}
		return nil, fmt.Errorf("%w: connection %d is not connected", ErrNoConnection, id)
	}
	n := len(h.conns)
	for i := range n {
		c := h.conns[(h.rr+i)%n]
		if !c.draining.Load() {
			h.rr = (h.rr + i + 1) % n
			return c, nil
		}
	}
	return nil, ErrNoConnection
}

// serveSocket accepts Socket Mode websocket connections at /link/.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	h := &s.hub
	ticket := r.URL.Query().Get("ticket")
	h.mu.Lock()
	valid := h.tickets[ticket]
	delete(h.tickets, ticket)
	h.mu.Unlock()
	if !valid {
		s.logf("websocket connect with unknown ticket %q", ticket)
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	up := websocket.Upgrader{
		// slack-go sends Origin: https://api.slack.com.
		CheckOrigin:     func(*http.Request) bool { return true },
		WriteBufferSize: 32 << 10,
	}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	c := &wsConn{ws: ws, connectedAt: time.Now(), done: make(chan struct{}), finished: make(chan struct{})}
	ws.SetPongHandler(func(string) error {
		c.lastPong.Store(time.Now().UnixNano())
		return nil
	})
	// Hello goes out before the connection is routable, as with Slack.
	h.mu.Lock()
	live := h.liveLocked() + 1
	h.mu.Unlock()
	hello, _ := json.Marshal(jsonObject{
		"type":            "hello",
		"num_connections": live,
		"connection_info": jsonObject{"app_id": s.cfg.appID},
		"debug_info":      jsonObject{"host": "fake", "build_number": 1, "approximate_connection_time": 18060},
	})
	if err := c.write(hello); err != nil || !h.add(c) {
		_ = ws.Close()
		close(c.finished)
		return
	}
	h.n.notify()
	var pinger sync.WaitGroup
	defer func() {
		c.close()
		pinger.Wait()
		h.remove(c)
		close(c.finished)
	}()
	pinger.Go(func() { s.ping(c) })

	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return // closed by the app, by Disconnect or by Close
		}
		s.receive(c, data, time.Now())
	}
}

// ping sends websocket PINGs until the connection closes.
func (s *Server) ping(c *wsConn) {
	t := time.NewTicker(s.cfg.pingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case now := <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte(now.Format(time.RFC3339Nano)), now.Add(writeTimeout)); err != nil {
				c.close()
				return
			}
		}
	}
}

// receive handles a message from the app: an envelope ack.
func (s *Server) receive(c *wsConn, data []byte, at time.Time) {
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
		s.logf("connection %d: unexpected message %s", c.id, data)
		return
	}
	h := &s.hub
	h.pmu.Lock()
	ch, ok := h.pending[a.EnvelopeID]
	delete(h.pending, a.EnvelopeID)
	h.pmu.Unlock()
	if !ok {
		s.logf("connection %d: late or unknown ack for envelope %s", c.id, a.EnvelopeID)
		return
	}
	ch <- ackMsg{payload: a.Payload, at: at, connID: c.id}
}

// Envelope is a Socket Mode envelope to send with Send.
type Envelope struct {
	Type                   string // EnvelopeSlashCommands, EnvelopeInteractive or EnvelopeEventsAPI
	Payload                any    // JSON-encodable; json.RawMessage is sent as is
	AcceptsResponsePayload bool
	RetryAttempt           int
	RetryReason            string
	EnvelopeID             string // generated when empty
	ConnID                 int    // connection to use; 0 means round-robin
}

// Ack is the app's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID  string
	Type        string          // envelope type
	ConnID      int             // connection the envelope went out on
	Request     json.RawMessage // the envelope's payload as sent
	Payload     json.RawMessage // the ack's payload; nil for a bare ack
	Latency     time.Duration   // from writing the envelope to reading the ack
	TriggerID   string          // trigger_id the fake put in the payload, if any
	ResponseURL string          // response_url the fake put in the payload, if any
	// Warnings lists problems Slack would have with the ack, e.g. errors keyed
	// by something other than an input block_id.
	Warnings []string
}

// Send delivers an envelope to one connection and waits for its ack. It waits
// for a connection if there is none yet. The ack must arrive within the ack
// timeout (3 s); otherwise the error wraps ErrNoAck. Without a deadline on
// ctx, waiting for a connection times out after 5 s.
func (s *Server) Send(ctx context.Context, env Envelope) (*Ack, error) {
	payload, ok := env.Payload.(json.RawMessage)
	if !ok {
		var err error
		if payload, err = json.Marshal(env.Payload); err != nil {
			return nil, fmt.Errorf("slacktest: encoding payload: %w", err)
		}
	}
	if env.EnvelopeID == "" {
		env.EnvelopeID = s.newEnvelopeID()
	}
	c, err := s.awaitConn(ctx, env.ConnID)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(jsonObject{
		"envelope_id":              env.EnvelopeID,
		"type":                     env.Type,
		"payload":                  payload,
		"accepts_response_payload": env.AcceptsResponsePayload,
		"retry_attempt":            env.RetryAttempt,
		"retry_reason":             env.RetryReason,
	})
	if err != nil {
		return nil, fmt.Errorf("slacktest: encoding envelope: %w", err)
	}

	h := &s.hub
	ch := make(chan ackMsg, 1)
	h.pmu.Lock()
	h.pending[env.EnvelopeID] = ch
	h.pmu.Unlock()
	forget := func() {
		h.pmu.Lock()
		delete(h.pending, env.EnvelopeID)
		h.pmu.Unlock()
	}

	start := time.Now()
	c.envelopes.Add(1)
	if err := c.write(data); err != nil {
		forget()
		return nil, fmt.Errorf("%w: writing to connection %d: %v", ErrNoConnection, c.id, err)
	}
	timer := time.NewTimer(s.cfg.ackTimeout)
	defer timer.Stop()
	select {
	case a := <-ch:
		return &Ack{
			EnvelopeID: env.EnvelopeID, Type: env.Type, ConnID: a.connID,
			Request: payload, Payload: normalizeAckPayload(a.payload), Latency: a.at.Sub(start),
		}, nil
	case <-timer.C:
		forget()
		return nil, fmt.Errorf("%w: %s envelope %s on connection %d within %v", ErrNoAck, env.Type, env.EnvelopeID, c.id, s.cfg.ackTimeout)
	case <-c.done:
		forget()
		return nil, fmt.Errorf("%w: connection %d closed before the %s envelope %s was acked", ErrNoAck, c.id, env.Type, env.EnvelopeID)
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	case <-s.closed:
		forget()
		return nil, errors.New("slacktest: server closed")
	}
}

// normalizeAckPayload maps an absent or null payload to nil.
func normalizeAckPayload(p json.RawMessage) json.RawMessage {
	if len(p) == 0 || string(p) == "null" {
		return nil
	}
	return p
}

// awaitConn waits for a usable connection.
func (s *Server) awaitConn(ctx context.Context, id int) (*wsConn, error) {
	if c, err := s.hub.pick(id); err == nil {
		return c, nil
	}
	wctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	for {
		ch := s.hub.n.wait()
		c, err := s.hub.pick(id)
		if err == nil {
			return c, nil
		}
		select {
		case <-ch:
		case <-wctx.Done():
			return nil, fmt.Errorf("%w (waited: %v)", err, wctx.Err())
		case <-s.closed:
			return nil, errors.New("slacktest: server closed")
		}
	}
}

// newEnvelopeID returns a UUID-shaped envelope ID, unique per server.
func (s *Server) newEnvelopeID() string {
	r := randomHex(10)
	return fmt.Sprintf("%08x-%s-%s-%s-%s", s.seq.Add(1), r[:4], r[4:8], r[8:12], r[12:])
}

// Connections describes the open Socket Mode connections, draining ones
// included.
func (s *Server) Connections() []ConnInfo {
	h := &s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]ConnInfo, len(h.conns))
	for i, c := range h.conns {
		out[i] = c.info()
	}
	return out
}

// LiveConnections returns how many connections can receive envelopes (open
// and not draining).
func (s *Server) LiveConnections() int {
	h := &s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.liveLocked()
}

// ConnectCount returns how many Socket Mode connections were accepted since
// the server started; after a Disconnect it grows as the app reconnects.
func (s *Server) ConnectCount() int {
	h := &s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.connects
}

// WaitConnected waits until at least n connections are live (open and not
// draining). Without a deadline on ctx it times out after 5 s.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.waitHub(ctx, func() bool { return s.LiveConnections() >= n },
		func() string { return fmt.Sprintf("%d live connections, want %d", s.LiveConnections(), n) })
}

// WaitConnects waits until at least total connections were accepted since the
// server started (see ConnectCount) and at least one is live — the way to wait
// for a reconnect after Disconnect.
func (s *Server) WaitConnects(ctx context.Context, total int) error {
	return s.waitHub(ctx, func() bool { return s.ConnectCount() >= total && s.LiveConnections() > 0 },
		func() string { return fmt.Sprintf("%d connects, want %d", s.ConnectCount(), total) })
}

func (s *Server) waitHub(ctx context.Context, done func() bool, state func() string) error {
	ctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	for {
		ch := s.hub.n.wait()
		if done() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("slacktest: %s: %w", state(), ctx.Err())
		}
	}
}

// Disconnect sends {"type":"disconnect","reason":reason} on every live
// connection (reason is usually "refresh_requested", "warning" or
// "link_disabled"), stops routing envelopes to them and closes them after a
// short grace period (WithDisconnectGrace). slack-go then reconnects through
// apps.connections.open. It returns how many connections were told.
func (s *Server) Disconnect(reason string) int {
	h := &s.hub
	h.mu.Lock()
	var conns []*wsConn
	for _, c := range h.conns {
		if !c.draining.Load() {
			conns = append(conns, c)
		}
	}
	h.mu.Unlock()
	for _, c := range conns {
		s.disconnect(c, reason)
	}
	return len(conns)
}

// DisconnectConn does what Disconnect does for one connection.
func (s *Server) DisconnectConn(id int, reason string) error {
	c, err := s.hub.pick(id)
	if err != nil {
		return err
	}
	s.disconnect(c, reason)
	return nil
}

func (s *Server) disconnect(c *wsConn, reason string) {
	c.draining.Store(true)
	s.hub.n.notify()
	msg, _ := json.Marshal(jsonObject{"type": "disconnect", "reason": reason, "debug_info": jsonObject{"host": "fake"}})
	if err := c.write(msg); err != nil {
		c.close()
		return
	}
	time.AfterFunc(s.cfg.disconnectGrace, c.close)
}
