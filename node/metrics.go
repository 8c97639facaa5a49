package node

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"outreach/campaigns"
)

// metrics are the campaign engine's Prometheus metrics; the api role serves
// them at /metrics (with the web's own), and metrics_listen serves them on
// processes without the api role.
type metrics struct {
	claims     prometheus.Counter
	outcomes   *prometheus.CounterVec
	recoveries prometheus.Counter
}

func (n *Node) newMetrics() *metrics {
	m := &metrics{
		claims: prometheus.NewCounter(prometheus.CounterOpts{Name: "outreach_claims_total",
			Help: "Tasks claimed from the queue and dialed by this process."}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "outreach_call_outcomes_total",
			Help: "Calls placed by this process, by outcome."}, []string{"outcome"}),
		recoveries: prometheus.NewCounter(prometheus.CounterOpts{Name: "outreach_lease_recoveries_total",
			Help: "Expired leases recovered (calls of a dead robot marked interrupted)."}),
	}
	n.reg.MustRegister(m.claims, m.outcomes, m.recoveries, &engineCollector{n: n,
		live:  prometheus.NewDesc("outreach_live_calls", "Live calls of this process, by trunk.", []string{"trunk"}, nil),
		queue: prometheus.NewDesc("outreach_queue_due", "Tasks waiting in the queue, by campaign.", []string{"campaign"}, nil)})
	return m
}

// counted wraps the placer to count claims and outcomes.
type counted struct {
	next campaigns.Placer
	m    *metrics
}

func (c counted) Place(ctx context.Context, camp campaigns.Campaign, t campaigns.Task, a campaigns.Attempt) (campaigns.CallResult, error) {
	c.m.claims.Inc()
	res, err := c.next.Place(ctx, camp, t, a)
	o := res.Outcome
	if err != nil && o == campaigns.OutcomeUnknown {
		o = campaigns.OutcomeTrunkError
	}
	c.m.outcomes.WithLabelValues(o.String()).Inc()
	return res, err
}

// engineCollector reads live calls and queue depth at scrape time.
type engineCollector struct {
	n           *Node
	live, queue *prometheus.Desc
}

func (c *engineCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.live
	ch <- c.queue
}

func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	if d := c.n.dialer; d != nil {
		for _, st := range d.Status() {
			ch <- prometheus.MustNewConstMetric(c.live, prometheus.GaugeValue, float64(st.Active), st.Name)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	camps, err := c.n.store.ScheduledCampaigns(ctx)
	if err != nil {
		return
	}
	for _, camp := range camps {
		if due, err := c.n.queue.Due(ctx, camp.ID); err == nil {
			ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(due), strconv.FormatInt(camp.ID, 10))
		}
	}
}

// startMetrics serves /metrics on metrics_listen (processes without the api role).
func (n *Node) startMetrics(ctx context.Context) error {
	if n.cfg.MetricsListen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", n.cfg.MetricsListen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(n.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("metrics server", "err", err)
		}
	}()
	n.own(stopFunc(func() { _ = srv.Close() }))
	return nil
}

// Registry holds this node's Prometheus metrics.
func (n *Node) Registry() *prometheus.Registry { return n.reg }
