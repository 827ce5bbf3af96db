package snapshot

// EndOfLife is one product on the host matched against end-of-life data shipped in
// trowel (endoflife.date, dated).
type EndOfLife struct {
	Product string `json:"product"` // endoflife.date product: centos, mysql, apache-http-server
	Cycle   string `json:"cycle"`   // release cycle matched: "5", "2.2"
	Version string `json:"version"` // version found on the host
	// EOL is the end of security support (YYYY-MM-DD), "" when none is announced.
	EOL string `json:"eol,omitempty"`
	// Extended is the end of paid extended support, when there is one.
	Extended string `json:"extended,omitempty"`
	// Status is supported, eol (past EOL at CollectedAt), or unknown (no data).
	Status string `json:"status"`
	// Of names the fact matched: "os", or a middleware section such as "apache".
	Of string `json:"of"`
	// DataDate is the date of the shipped data, so a reader knows how fresh it is.
	DataDate string `json:"data_date"`
	// LTS says the matched cycle is a long-term support one (added: a reader
	// choosing a target version wants to know).
	LTS bool `json:"lts,omitempty"`
	// Note explains a status that is not a plain date comparison: a version older
	// than every cycle in the data, an end without a date, data too old to trust
	// "no end announced" (added: unknown must say why).
	Note     string   `json:"note,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}
