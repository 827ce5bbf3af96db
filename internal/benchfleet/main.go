// Command benchfleet measures trowel surveying a thousand hosts from one operator
// process (make bench-fleet). It starts fake SSH hosts in this process (sshfake:
// golang.org/x/crypto/ssh servers, each on a loopback address of its own,
// answering the probe with recorded evidence under its own host name after a
// delay drawn for it), builds trowel, and runs the real binary against all of
// them as an operator would, once per store: a SQLite file, a PostgreSQL database
// (a private temporary cluster, as the tests start), and PostgreSQL's queue with
// worker processes. It reports the wall time, the operator's CPU (user+sys) and
// peak memory (getrusage of the trowel process, which shares nothing with the
// fake hosts but the machine), the store's size, hosts per second, and what
// failed; and checks every host in the store. When the trowel lab is up, its
// real hosts are in the same inventory and each is checked host by host; when it
// is down, that part is skipped, with the reason.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/pgtest"

	_ "modernc.org/sqlite" // to checkpoint the SQLite store before it is measured
)

// config is what a run measures.
type config struct {
	hosts              int
	minDelay, maxDelay time.Duration
	parallel           int // 0: trowel's default
	stores             []string
	workers            int
	ask                bool
	keep               bool
	jsonOut            string
}

func main() {
	var c config
	var delay, stores string
	flag.IntVar(&c.hosts, "hosts", 1000, "how many fake hosts")
	flag.StringVar(&delay, "delay", "0.5s-3s", "how long each fake host's probe takes: a duration, or MIN-MAX drawn evenly per host")
	flag.IntVar(&c.parallel, "parallel", 0, "trowel survey --parallel (0: trowel's default; the workers share it)")
	flag.StringVar(&stores, "stores", "sqlite,postgres,queue", "the runs, in order: sqlite, postgres (one operator process each), queue (enqueue, then -workers worker processes)")
	flag.IntVar(&c.workers, "workers", 2, "worker processes in the queue run")
	flag.BoolVar(&c.ask, "ask", true, "let trowel ask the services it finds (the fake hosts refuse the channels, as a locked-down sshd does)")
	flag.BoolVar(&c.keep, "keep", false, "keep the working directory (stores, inventory, logs)")
	flag.StringVar(&c.jsonOut, "json", "", "also write the measurements to this file as JSON")
	flag.Parse()
	var err error
	if c.minDelay, c.maxDelay, err = parseDelay(delay); err != nil {
		fatal(err)
	}
	c.stores = strings.Split(stores, ",")
	if err := run(c); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "benchfleet:", err)
	os.Exit(1)
}

func parseDelay(s string) (lo, hi time.Duration, err error) {
	a, b, isRange := strings.Cut(s, "-")
	if lo, err = time.ParseDuration(a); err != nil {
		return 0, 0, fmt.Errorf("-delay %q: %v", s, err)
	}
	hi = lo
	if isRange {
		if hi, err = time.ParseDuration(b); err != nil || hi < lo {
			return 0, 0, fmt.Errorf("-delay %q: give MIN-MAX, as 0.5s-3s", s)
		}
	}
	return lo, hi, nil
}

// measurement is one run's numbers.
type measurement struct {
	Store       string        `json:"store"`
	Hosts       int           `json:"hosts"`
	OK          int           `json:"ok"`
	Partial     int           `json:"partial"`
	Failed      int           `json:"failed"`
	Wall        time.Duration `json:"wall_ns"`
	User        time.Duration `json:"operator_user_ns"`
	Sys         time.Duration `json:"operator_sys_ns"`
	PeakRSS     int64         `json:"operator_peak_rss_bytes"`
	Processes   int           `json:"operator_processes"`
	StoreBytes  int64         `json:"store_bytes"`
	StoreCPU    time.Duration `json:"store_server_cpu_ns,omitempty"`
	FakesCPU    time.Duration `json:"fake_hosts_cpu_ns"`
	LoadBefore  float64       `json:"load1_before"`
	LoadAfter   float64       `json:"load1_after"`
	Problems    []string      `json:"problems,omitempty"`
	LabHosts    []string      `json:"lab_hosts,omitempty"`
	LabSkipped  string        `json:"lab_skipped,omitempty"`
	FailedHosts []string      `json:"failed_hosts,omitempty"`
}

func run(c config) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "trowel-bench-fleet-")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Fprintf(os.Stderr, "benchfleet: working in %s (kept)\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "trowel")
	fmt.Fprintln(os.Stderr, "benchfleet: building trowel")
	build := exec.Command("go", "build", "-o", bin, "./cmd/trowel")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}

	start := time.Now()
	fmt.Fprintf(os.Stderr, "benchfleet: starting %d fake hosts\n", c.hosts)
	estate, err := startFakeEstate(root, filepath.Join(dir, "estate"), c.hosts, c.minDelay, c.maxDelay)
	if err != nil {
		return err
	}
	defer estate.Close()
	fmt.Fprintf(os.Stderr, "benchfleet: %d fake hosts up in %s\n", c.hosts, time.Since(start).Round(time.Millisecond))

	lab, labSkipped := runningLab()
	if lab == nil {
		fmt.Fprintf(os.Stderr, "benchfleet: lab part skipped: %s\n", labSkipped)
	}
	op := operator{bin: bin, dir: dir, parallel: c.parallel, ask: c.ask}

	var pg *pgtest.Server
	defer func() {
		if pg != nil {
			pg.Stop()
		}
	}()
	var results []measurement
	for _, kind := range c.stores {
		// Written again for each run: the lab's owner may have made a host anew
		// (with new host keys) meanwhile.
		inv, knownHosts, err := writeInventory(dir, estate, lab)
		if err != nil {
			return err
		}
		op.inventory, op.credentials = inv, []string{"--ssh-config", "none", "--known-hosts", knownHosts, "--identity", estate.KeyFile}
		var m measurement
		switch kind {
		case "sqlite":
			m, err = op.direct(kind, filepath.Join(dir, "sqlite", "trowel.db"), nil)
		case "postgres", "queue":
			if pg == nil {
				fmt.Fprintln(os.Stderr, "benchfleet: starting a PostgreSQL cluster")
				if pg, err = pgtest.Start(); err != nil {
					return fmt.Errorf("PostgreSQL: %w", err)
				}
			}
			dsn, err2 := pg.CreateDatabase()
			if err2 != nil {
				return err2
			}
			if kind == "postgres" {
				m, err = op.direct(kind, dsn, pg)
			} else {
				m, err = op.queue(dsn, pg, c.workers)
			}
		default:
			return fmt.Errorf("-stores: no run %q (sqlite, postgres, queue)", kind)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		dsn := op.lastStore
		m.Problems = append(m.Problems, check(dsn, estate, lab, &m)...)
		m.LabSkipped = labSkipped
		results = append(results, m)
		printRun(os.Stderr, m)
	}
	printReport(os.Stdout, c, estate, lab, labSkipped, results)
	if c.jsonOut != "" {
		doc, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(c.jsonOut, append(doc, '\n'), 0o644); err != nil {
			return err
		}
	}
	for _, m := range results {
		if len(m.Problems) > 0 {
			return fmt.Errorf("%s: %d problems: %s", m.Store, len(m.Problems), strings.Join(m.Problems, "; "))
		}
	}
	return nil
}

// moduleRoot is the directory of trowel's go.mod, above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/trowel-dev/trowel\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run benchfleet inside trowel's source tree (make bench-fleet)")
		}
		dir = parent
	}
}

// writeInventory writes the inventory of the fake hosts (group bench) and the
// lab's (group lab), and a known_hosts that knows them all.
func writeInventory(dir string, e *fakeEstate, lab *labtest.Lab) (inv, knownHosts string, err error) {
	text := "[all:vars]\nansible_user=ops\n\n[bench]\n" + e.inventoryLines()
	known, err := os.ReadFile(e.KnownHosts)
	if err != nil {
		return "", "", err
	}
	if lab != nil {
		text += "\n" + labInventory(lab)
		labKnown, err := os.ReadFile(lab.KnownHosts)
		if err != nil {
			return "", "", err
		}
		known = append(known, labKnown...)
	}
	inv, knownHosts = filepath.Join(dir, "estate.ini"), filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(inv, []byte(text), 0o644); err != nil {
		return "", "", err
	}
	return inv, knownHosts, os.WriteFile(knownHosts, known, 0o600)
}

// operator runs trowel as an operator would.
type operator struct {
	bin, dir, inventory string
	credentials         []string
	parallel            int
	ask                 bool
	lastStore           string
}

// surveyFlags are the flags of trowel survey for every run.
func (o *operator) surveyFlags() []string {
	flags := []string{"-i", o.inventory, "--connect-timeout", "60s", "--timeout", "5m"}
	if !o.ask {
		flags = append(flags, "--no-ask")
	}
	return flags
}

// direct surveys the estate with one trowel survey process.
func (o *operator) direct(kind, dsn string, pg *pgtest.Server) (measurement, error) {
	o.lastStore = dsn
	args := append(append([]string{"survey", "--store", dsn, "--format", "json"}, o.surveyFlags()...), o.credentials...)
	if o.parallel > 0 {
		args = append(args, "--parallel", strconv.Itoa(o.parallel))
	}
	m := measurement{Store: kind}
	var stdout bytes.Buffer
	err := o.measure(&m, pg, func() ([]*os.ProcessState, error) {
		cmd := o.command(kind, &stdout, args...)
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 { // some host not surveyed in full: counted below
			err = nil
		}
		return []*os.ProcessState{cmd.ProcessState}, err
	})
	if err != nil {
		return m, err
	}
	var rs []fleet.Result
	if err := json.Unmarshal(stdout.Bytes(), &rs); err != nil {
		return m, fmt.Errorf("trowel survey's results: %v", err)
	}
	c := fleet.Count(rs)
	m.Hosts, m.OK, m.Partial, m.Failed = len(rs), c.OK, c.Partial, c.Failed
	for _, r := range rs {
		if r.Status != fleet.OK {
			m.FailedHosts = append(m.FailedHosts, r.Name+": "+string(r.Status)+": "+r.Problem)
		}
	}
	return m, nil
}

// queue enqueues the estate in PostgreSQL, then has workers survey it.
func (o *operator) queue(dsn string, pg *pgtest.Server, workers int) (measurement, error) {
	o.lastStore = dsn
	m := measurement{Store: fmt.Sprintf("queue (%d workers)", workers)}
	parallel := o.parallel
	if parallel == 0 {
		parallel = fleet.DefaultParallel()
	}
	each := max(1, parallel/workers)
	var request int64
	err := o.measure(&m, pg, func() ([]*os.ProcessState, error) {
		var out bytes.Buffer
		enqueue := o.command("enqueue", &out, append([]string{"survey", "--enqueue", "--store", dsn, "--attempts", "2"}, o.surveyFlags()...)...)
		if err := enqueue.Run(); err != nil {
			return nil, fmt.Errorf("enqueue: %v", err)
		}
		var err error
		if request, err = strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64); err != nil {
			return nil, fmt.Errorf("enqueue printed %q", out.String())
		}
		states := []*os.ProcessState{enqueue.ProcessState}
		var cmds []*exec.Cmd
		for i := range workers {
			cmd := o.command(fmt.Sprintf("worker%d", i+1), io.Discard, append([]string{"worker", "--store", dsn, "--until-empty",
				"--parallel", strconv.Itoa(each), "--lease", "2m", "--poll", "1s", "--retry-after", "5s"}, o.credentials...)...)
			if err := cmd.Start(); err != nil {
				return nil, err
			}
			cmds = append(cmds, cmd)
		}
		var errs []error
		for _, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", cmd.Args[1], err))
			}
			states = append(states, cmd.ProcessState)
		}
		return states, errors.Join(errs...)
	})
	if err != nil {
		return m, err
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		return m, err
	}
	defer st.Close()
	r, jobs, err := st.RequestJobs(context.Background(), request)
	if err != nil {
		return m, err
	}
	m.Hosts, m.Failed = r.Jobs, r.Failed+r.Queued+r.Leased
	for _, j := range jobs {
		switch {
		case j.State == store.JobDone && strings.HasPrefix(j.Outcome, "stopped early"):
			m.Partial++
		case j.State == store.JobDone:
			m.OK++
		default:
			m.FailedHosts = append(m.FailedHosts, j.Name+": "+string(j.State)+": "+j.Outcome)
		}
	}
	return m, nil
}

// command is trowel with args, its standard output to stdout and its standard
// error to a log file named for it.
func (o *operator) command(name string, stdout io.Writer, args ...string) *exec.Cmd {
	cmd := exec.Command(o.bin, args...)
	cmd.Stdout = stdout
	if f, err := os.Create(filepath.Join(o.dir, name+".log")); err == nil {
		cmd.Stderr = f
	}
	// The fake hosts take the estate's key only: no agent to offer others.
	cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK=", store.Env+"=")
	return cmd
}

// measure runs what starts and waits for the operator's processes, and fills in
// the wall time, their CPU and peak memory, the store server's CPU, this
// process's (the fake hosts'), and the load before and after.
func (o *operator) measure(m *measurement, pg *pgtest.Server, processes func() ([]*os.ProcessState, error)) error {
	m.LoadBefore = load1()
	pgBefore := serverCPU(pg)
	selfBefore := selfCPU()
	start := time.Now()
	states, err := processes()
	m.Wall = time.Since(start)
	m.FakesCPU = selfCPU() - selfBefore
	if pg != nil {
		m.StoreCPU = serverCPU(pg) - pgBefore
	}
	m.LoadAfter = load1()
	for _, ps := range states {
		if ps == nil {
			continue
		}
		m.Processes++
		ru := ps.SysUsage().(*syscall.Rusage)
		m.User += time.Duration(ru.Utime.Nano())
		m.Sys += time.Duration(ru.Stime.Nano())
		m.PeakRSS = max(m.PeakRSS, ru.Maxrss*1024) // KiB on Linux
	}
	return err
}

// check looks at every host in the store: each fake host recorded once under its
// own name, each lab host as checkLab says. It also measures the store's size.
func check(dsn string, e *fakeEstate, lab *labtest.Lab, m *measurement) (problems []string) {
	ctx := context.Background()
	m.StoreBytes = storeSize(dsn)
	st, err := store.Open(ctx, dsn, store.MustExist())
	if err != nil {
		return []string{err.Error()}
	}
	defer st.Close()
	hosts, err := st.Hosts(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	byName := map[string]store.Host{}
	for _, h := range hosts {
		byName[h.Name] = h
	}
	missing := 0
	for _, name := range e.names {
		h, ok := byName[name]
		switch {
		case !ok:
			missing++
		case h.Surveys != 1 || h.Latest == nil || h.Latest.Hostname != name || h.Group != "bench" || h.Latest.Coverage.Collected == 0:
			problems = append(problems, fmt.Sprintf("%s in the store: %d surveys, latest %+v", name, h.Surveys, h.Latest))
		}
	}
	if missing > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d fake hosts are not in the store", missing, len(e.names)))
	}
	if lab != nil {
		var labProblems []string
		m.LabHosts, labProblems = checkLab(ctx, st, lab)
		problems = append(problems, labProblems...)
	}
	return problems
}

// storeSize is what the store takes: the SQLite file once its write-ahead log is
// checkpointed into it, or the PostgreSQL database.
func storeSize(dsn string) int64 {
	if strings.HasPrefix(dsn, "postgres") {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return 0
		}
		defer db.Close()
		var n int64
		db.QueryRow("SELECT pg_database_size(current_database())").Scan(&n)
		return n
	}
	if db, err := sql.Open("sqlite", dsn); err == nil {
		db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.Close()
	}
	var n int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(dsn + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func load1() float64 {
	b, _ := os.ReadFile("/proc/loadavg")
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is what the PostgreSQL server has spent so far: its postmaster's
// CPU, its ended children's (a connection's backend ends with it) and its live
// children's.
func serverCPU(pg *pgtest.Server) time.Duration {
	if pg == nil {
		return 0
	}
	pid, err := pg.PID()
	if err != nil {
		return 0
	}
	total := procCPU(pid, true)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if procParent(child) == pid {
			total += procCPU(child, false)
		}
	}
	return total
}

// procStat are the fields of /proc/PID/stat after the command's name.
func procStat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

func procParent(pid int) int {
	f := procStat(pid)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// procCPU is a process's user+sys time, with its reaped children's when asked
// (fields 14-17 of stat: utime stime cutime cstime, in clock ticks).
func procCPU(pid int, children bool) time.Duration {
	f := procStat(pid)
	if len(f) < 15 {
		return 0
	}
	fields := f[11:13]
	if children {
		fields = f[11:15]
	}
	var ticks int64
	for _, s := range fields {
		n, _ := strconv.ParseInt(s, 10, 64)
		ticks += n
	}
	const hz = 100 // USER_HZ on Linux
	return time.Duration(ticks) * time.Second / hz
}

func printRun(w io.Writer, m measurement) {
	fmt.Fprintf(w, "benchfleet: %s: %d hosts, %d ok, %d partial, %d failed in %s; operator CPU %s, peak RSS %s; store %s\n",
		m.Store, m.Hosts, m.OK, m.Partial, m.Failed, m.Wall.Round(time.Second), (m.User + m.Sys).Round(time.Second), mib(m.PeakRSS), mib(m.StoreBytes))
	for _, f := range first(m.FailedHosts, 10) {
		fmt.Fprintln(w, "  failed:", f)
	}
	for _, p := range first(m.Problems, 10) {
		fmt.Fprintln(w, "  PROBLEM:", p)
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

func printReport(w io.Writer, c config, e *fakeEstate, lab *labtest.Lab, labSkipped string, ms []measurement) {
	parallel := c.parallel
	if parallel == 0 {
		parallel = fleet.DefaultParallel()
	}
	fmt.Fprintf(w, "\n%d fake hosts on 127.1.0.0/16 (each answering with %s under its own name after %s-%s), --parallel %d, %d CPUs, %s\n",
		len(e.names), recording, c.minDelay, c.maxDelay, parallel, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if lab != nil {
		fmt.Fprintf(w, "the lab's %d hosts in the same inventory, checked host by host in each store\n", len(lab.Hosts))
	} else {
		fmt.Fprintf(w, "lab: skipped: %s\n", labSkipped)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "store\thosts\tok\tpartial\tfailed\twall\thosts/s\toperator CPU\tCPU/host\tpeak RSS\tstore size\tper host\tserver CPU\tfakes' CPU\tload 1m before/after\t")
	for _, m := range ms {
		cpu := m.User + m.Sys
		perHost := time.Duration(0)
		size := int64(0)
		if m.Hosts > 0 {
			perHost = cpu / time.Duration(m.Hosts)
			size = m.StoreBytes / int64(m.Hosts)
		}
		server := "-"
		if m.StoreCPU > 0 {
			server = m.StoreCPU.Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f / %.1f\t\n",
			m.Store, m.Hosts, m.OK, m.Partial, m.Failed, m.Wall.Round(time.Second), float64(m.Hosts)/m.Wall.Seconds(),
			cpu.Round(time.Second), perHost.Round(time.Millisecond), mib(m.PeakRSS), mib(m.StoreBytes), kib(size), server,
			m.FakesCPU.Round(time.Second), m.LoadBefore, m.LoadAfter)
	}
	tw.Flush()
	for _, m := range ms {
		for _, l := range m.LabHosts {
			fmt.Fprintf(w, "%s: lab %s\n", m.Store, l)
		}
		for _, p := range m.Problems {
			fmt.Fprintf(w, "%s: PROBLEM: %s\n", m.Store, p)
		}
	}
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
func kib(b int64) string { return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10)) }
