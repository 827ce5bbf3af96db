package report

import (
	"encoding/json"
	"strings"
	"time"
)

// Document is a report independent of its output format: the handover document of
// one host, or the parity report of two. Builders fill it with text already told
// in the document's language; renderers (Markdown, HTML, JSON) only lay it out, so
// every format says the same thing and a translation is checked in one place.
type Document struct {
	// Lang is "en" or "ja": the renderers take their few words of their own
	// ("Contents") from the label catalog of this language.
	Lang     string     `json:"lang"`
	Title    string     `json:"title"`
	Subtitle string     `json:"subtitle,omitempty"`
	Meta     []Pair     `json:"meta,omitempty"` // shown under the title: source, date ...
	Sections []*Section `json:"sections"`
	// Generated is when the document was made; renderers print it, golden tests
	// fix it.
	Generated time.Time `json:"generated"`
	// Claims are what the document says of the host's state, one per statement,
	// in the order written (see Claim); renderers do not show them.
	Claims []Claim `json:"claims,omitempty"`
}

// Section is one titled part; Sub are its subsections (one level: the services
// section has one subsection per service).
type Section struct {
	// ID is the anchor the table of contents links to: unique in the document,
	// made of [a-z0-9-] only.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Intro says in one line what the section shows, for a reader who never saw
	// the host.
	Intro  string     `json:"intro,omitempty"`
	Blocks []Block    `json:"blocks,omitempty"`
	Sub    []*Section `json:"sub,omitempty"`
}

// Block is one piece of a section's body: *Paragraph, *Facts, *Table, *List,
// *Code, *Callout or *Diagram.
type Block interface{ blockKind() string }

// Paragraph is running text.
type Paragraph struct {
	Text string `json:"text"`
}

// Facts are label/value pairs about one thing (a definition list).
type Facts struct {
	Pairs []Pair `json:"pairs"`
}

// Pair is one labelled value.
type Pair struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Table is tabular data. Every table has an Explain line: a table a reader cannot
// interpret is noise.
type Table struct {
	Explain string   `json:"explain"`
	Columns []Column `json:"columns"`
	Rows    [][]Cell `json:"rows"`
	// Empty is said instead of the table when it has no rows, folded or not:
	// what the absence means ("no cron job found in any crontab" differs from
	// "not collected").
	Empty string `json:"empty,omitempty"`
	// Folded are rows left out of the body because they are the distribution's
	// own, not the administrator's; nil when there are none.
	Folded *Fold `json:"folded,omitempty"`
}

// Fold is the rows of a table that are how the distribution ships (the init
// system's own units, the stock mail aliases, configs of the base system's
// packages the disk lacks), counted in one line so that what somebody made
// stands out. Nothing is hidden: HTML keeps the rows in a collapsed block,
// Markdown names them in the line, JSON keeps them whole.
type Fold struct {
	// Summary says how many rows and why they are folded.
	Summary string   `json:"summary"`
	Rows    [][]Cell `json:"rows"`
}

// names are the folded rows' first cells, which name them.
func (f *Fold) names() string {
	out := make([]string, 0, len(f.Rows))
	for _, r := range f.Rows {
		if len(r) > 0 {
			out = append(out, r[0].Text)
		}
	}
	return strings.Join(out, ", ")
}

// Column is a table column.
type Column struct {
	Title string `json:"title"`
	// Numeric columns sort by number (Cell.Sort) and align right.
	Numeric bool `json:"numeric,omitempty"`
	// Code columns hold paths, commands or addresses, shown in a fixed-width font.
	Code bool `json:"code,omitempty"`
}

// Cell is one table cell. Sort is the key sortable tables order by when the text
// does not sort by itself ("1.2 GiB" sorts by its byte count).
type Cell struct {
	Text string `json:"text"`
	Sort string `json:"sort,omitempty"`
}

// List is a bullet list.
type List struct {
	Items []string `json:"items"`
}

// Code is a preformatted block: a command, an Ansible snippet, a config excerpt.
type Code struct {
	Lang string `json:"lang,omitempty"` // "sh", "yaml" ...: a hint for highlighting
	Text string `json:"text"`
}

// Callout is one finding, laid out so it can be read alone: what, why it
// matters, what to do, and the facts it rests on.
type Callout struct {
	// Severity is info, low, medium or high (the renderers colour by it);
	// SeverityLabel is that word in the document's language.
	Severity      string `json:"severity"`
	SeverityLabel string `json:"severity_label"`
	// Inhibitor marks what blocks a safe migration; InhibitorLabel says so.
	Inhibitor      bool   `json:"inhibitor,omitempty"`
	InhibitorLabel string `json:"inhibitor_label,omitempty"`
	Key            string `json:"key"`
	Title          string `json:"title"`
	Why            string `json:"why"`
	// Fix is the remediation hint; Command and Ansible are optional.
	Fix     string   `json:"fix"`
	Command string   `json:"command,omitempty"`
	Ansible string   `json:"ansible,omitempty"`
	Facts   []string `json:"facts,omitempty"`
	// Labels for the parts, in the document's language.
	WhyLabel   string `json:"-"`
	FixLabel   string `json:"-"`
	FactsLabel string `json:"-"`
}

// Diagram is the host drawn as a graph: the host's services with their ports,
// the systems that connect in, and the systems it talks to.
type Diagram struct {
	// Alt describes the drawing in words, for text renderers and screen readers.
	Alt      string        `json:"alt"`
	Host     string        `json:"host"`
	Services []DiagramNode `json:"services"`
	// Peers are the outside systems: Inbound ones connect to the host.
	Peers []DiagramNode `json:"peers"`
	Edges []DiagramEdge `json:"edges"`
}

// DiagramNode is a box of the diagram.
type DiagramNode struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Detail is a second line: a service's ports, a peer's names or purpose.
	Detail  string `json:"detail,omitempty"`
	Inbound bool   `json:"inbound,omitempty"`
}

// DiagramEdge is an arrow between a service and a peer, in the direction the
// connection is opened.
type DiagramEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label,omitempty"` // "tcp/24224"
}

// nodeNames names each node the way a list of the arrows says it: a service by
// its name, an outside system with its detail (address, purpose).
func (d *Diagram) nodeNames() map[string]string {
	names := map[string]string{}
	for _, n := range d.Services {
		names[n.ID] = n.Label
	}
	for _, n := range d.Peers {
		label := n.Label
		if n.Detail != "" {
			label += " (" + n.Detail + ")"
		}
		names[n.ID] = label
	}
	return names
}

func (*Paragraph) blockKind() string { return "paragraph" }
func (*Facts) blockKind() string     { return "facts" }
func (*Table) blockKind() string     { return "table" }
func (*List) blockKind() string      { return "list" }
func (*Code) blockKind() string      { return "code" }
func (*Callout) blockKind() string   { return "callout" }
func (*Diagram) blockKind() string   { return "diagram" }

// MarshalJSON tags each block with its kind, so a JSON reader can tell a table
// from a list.
func (s *Section) MarshalJSON() ([]byte, error) {
	type tagged struct {
		Kind  string `json:"kind"`
		Block Block  `json:"block"`
	}
	blocks := make([]tagged, len(s.Blocks))
	for i, b := range s.Blocks {
		blocks[i] = tagged{b.blockKind(), b}
	}
	type plain Section
	return json.Marshal(struct {
		*plain
		Blocks []tagged `json:"blocks,omitempty"`
	}{(*plain)(s), blocks})
}

// All returns the sections in reading order, subsections after their parent.
func (d *Document) All() []*Section {
	var out []*Section
	for _, s := range d.Sections {
		out = append(out, s)
		out = append(out, s.Sub...)
	}
	return out
}
