package reminders

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	prompts      *prometheus.CounterVec
	rateLimited  prometheus.Counter
	sweeps       prometheus.Counter
	sweepSeconds prometheus.Histogram
	panics       *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		prompts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okrbot_prompts_total", Help: "Prompts, nudges and reminders by kind and result (sent, skipped, retry, failed).",
		}, []string{"kind", "result"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "okrbot_slack_rate_limited_total", Help: "Sends Slack answered with HTTP 429 (retried after Retry-After).",
		}),
		sweeps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "okrbot_sweeps_total", Help: "Scheduler sweeps run by this replica.",
		}),
		sweepSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "okrbot_sweep_seconds", Help: "Duration of scheduler sweeps.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okrbot_background_panics_total", Help: "Panics recovered outside Slack handlers (scheduler sweeps and sends), by where.",
		}, []string{"where"}),
	}
	if reg != nil {
		reg.MustRegister(m.prompts, m.rateLimited, m.sweeps, m.sweepSeconds, m.panics)
	}
	return m
}
