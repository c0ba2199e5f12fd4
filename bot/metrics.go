package bot

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	envelopes      *prometheus.CounterVec
	ackSeconds     *prometheus.HistogramVec
	panics         prometheus.Counter
	connects       prometheus.Counter
	slackErrors    *prometheus.CounterVec
	uploadFailures prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okrbot_envelopes_total", Help: "Socket Mode envelopes received, by type.",
		}, []string{"type"}),
		ackSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "okrbot_ack_seconds", Help: "Time from receiving an envelope to acknowledging it.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"type"}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "okrbot_handler_panics_total", Help: "Handlers that panicked and were recovered.",
		}),
		connects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "okrbot_socket_connects_total", Help: "Socket Mode connections established (reconnects included).",
		}),
		slackErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okrbot_slack_errors_total", Help: "Slack Web API calls that failed, by method and error.",
		}, []string{"method", "error"}),
		uploadFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "okrbot_chart_upload_failures_total", Help: "Chart uploads that failed (the message was posted without them).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.envelopes, m.ackSeconds, m.panics, m.connects, m.slackErrors, m.uploadFailures)
	}
	return m
}
