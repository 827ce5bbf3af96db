package web

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// browser is a headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: commands on its fd 3, answers and events on its fd
// 4, each message JSON ended by a NUL): no port, no WebSocket, no dependency.
// One page, attached in flat mode; every command waits for its answer.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	in      io.WriteCloser
	session string

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpMessage
	// events are the page's events, kept for whoever waits for one.
	events chan cdpMessage
	// requests are the URLs the page asked for, to show nothing came from
	// elsewhere.
	requests []string
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// chromium starts a headless Chromium with a fresh profile and every way to the
// network closed but loopback, as internal/report's browser test does.
func chromium(t *testing.T, path string) *browser {
	t.Helper()
	home := t.TempDir()
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path,
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
		"--remote-debugging-pipe", "--user-data-dir="+filepath.Join(home, "profile"),
		"--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--mute-audio", "--hide-scrollbars", "--force-color-profile=srgb", "about:blank")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	cmd.ExtraFiles = []*os.File{cmdR, outW} // fd 3, fd 4
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdR.Close()
	outW.Close()
	b := &browser{t: t, cmd: cmd, in: cmdW, waiting: map[int]chan cdpMessage{}, events: make(chan cdpMessage, 4096)}
	go b.read(outR)
	t.Cleanup(func() {
		b.send("Browser.close", nil)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("chromium's standard error:\n%s", tail(stderr.String(), 3000))
		}
	})
	var target struct{ TargetID string }
	b.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	for _, m := range []string{"Page.enable", "Runtime.enable", "Network.enable"} {
		b.call(m, nil, nil)
	}
	// Violations of the page's CSP, counted in the page from its first line.
	b.call("Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": `window.__csp = [];
		document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`}, nil)
	return b
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func (b *browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		line, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			for id, ch := range b.waiting {
				close(ch)
				delete(b.waiting, id)
			}
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if json.Unmarshal(line[:len(line)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.waiting[m.ID]
			delete(b.waiting, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		if m.Method == "Network.requestWillBeSent" {
			var p struct{ Request struct{ URL string } }
			json.Unmarshal(m.Params, &p)
			b.mu.Lock()
			b.requests = append(b.requests, p.Request.URL)
			b.mu.Unlock()
		}
		select {
		case b.events <- m:
		default: // nobody waits for this many events
		}
	}
}

// send writes a command and gives the channel its answer comes on.
func (b *browser) send(method string, params any) (chan cdpMessage, error) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if b.session != "" && method != "Browser.close" {
		msg["sessionId"] = b.session
	}
	doc, _ := json.Marshal(msg)
	_, err := b.in.Write(append(doc, 0))
	return ch, err
}

// call runs one command and decodes its result into out (when not nil).
func (b *browser) call(method string, params, out any) {
	b.t.Helper()
	ch, err := b.send(method, params)
	if err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.t.Fatalf("%s: chromium went away", method)
		}
		if m.Error != nil {
			b.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				b.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(90 * time.Second):
		b.t.Fatalf("%s: no answer in 90 s", method)
	}
}

// wait waits for an event of the page.
func (b *browser) wait(method string, within time.Duration) {
	b.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case m := <-b.events:
			if m.Method == method {
				return
			}
		case <-deadline:
			b.t.Fatalf("no %s in %s", method, within)
		}
	}
}

// drain forgets the events so far.
func (b *browser) drain() {
	for {
		select {
		case <-b.events:
		default:
			return
		}
	}
}

// open loads url and waits for the page to have loaded.
func (b *browser) open(url string) {
	b.t.Helper()
	b.drain()
	b.call("Page.navigate", map[string]any{"url": url}, nil)
	b.wait("Page.loadEventFired", 90*time.Second)
}

// eval runs expr in the page (awaiting a promise) and decodes its value.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %.80s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			b.t.Fatalf("evaluating %.80s: %v (%s)", expr, err, res.Result.Value)
		}
	}
}

// screenshot keeps what the page shows, as PNG.
func (b *browser) screenshot(path string) {
	b.t.Helper()
	var shot struct{ Data string }
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// click presses and releases the mouse's left button at x, y.
func (b *browser) click(x, y float64) {
	b.t.Helper()
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1}, nil)
	}
}

// key presses and releases a key: "Tab", "Enter".
func (b *browser) key(name string, code int) {
	b.t.Helper()
	for _, typ := range []string{"rawKeyDown", "keyUp"} {
		b.call("Input.dispatchKeyEvent", map[string]any{"type": typ, "key": name, "code": name, "windowsVirtualKeyCode": code}, nil)
	}
}

// poll evaluates cond in the page until it is true.
func (b *browser) poll(cond string, within time.Duration) bool {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var ok bool
		b.eval(cond, &ok)
		if ok {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func (b *browser) requested() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// resize sets the page's viewport.
func (b *browser) resize(w, h int) {
	b.t.Helper()
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": w, "height": h, "deviceScaleFactor": 1, "mobile": false}, nil)
}

// language makes the browser ask for pages in lang, as its Accept-Language.
func (b *browser) language(lang string) {
	b.t.Helper()
	b.call("Network.setExtraHTTPHeaders", map[string]any{"headers": map[string]string{"Accept-Language": lang}}, nil)
}
