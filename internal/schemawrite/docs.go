package main

import (
	"strings"
)

// The documentation schemawrite writes: pleskgo's own words, one line per
// operator, operation and operator type.

// operatorNoun says what each packet operator works on.
var operatorNoun = map[string]string{
	"server":                 "the Plesk server itself: its settings, statistics, licenses and services",
	"customer":               "customer accounts",
	"webspace":               "webspaces (subscriptions)",
	"subdomain":              "subdomains",
	"dns":                    "DNS zones and their resource records",
	"db_server":              "database servers",
	"mail":                   "mail accounts of domains and the domains' mail settings",
	"migration":              "migrations from another server",
	"certificate":            "SSL/TLS certificates and certificate signing requests",
	"site-alias":             "domain aliases",
	"ip":                     "the IP addresses of the server",
	"event_log":              "the log of events in Plesk",
	"spamfilter":             "spam filter settings",
	"secret_key":             "secret keys for access to the API",
	"ui":                     "custom buttons and other elements of the user interface",
	"service-plan":           "service plans, the templates of subscriptions",
	"webuser":                "web users of a webspace",
	"maillist":               "mailing lists",
	"virtdir":                "virtual directories of a site",
	"database":               "databases and database users",
	"ftp-user":               "additional FTP accounts",
	"session":                "sessions of users logged in to Plesk",
	"updater":                "Plesk updates and the installed components",
	"locale":                 "the languages of the interface",
	"log-rotation":           "the rotation of web server logs",
	"backup-manager":         "backups and their restoration",
	"sso":                    "single sign-on",
	"protected-dir":          "password-protected directories",
	"reseller":               "reseller accounts",
	"reseller-plan":          "reseller plans",
	"aps":                    "APS application packages and their installations",
	"smb":                    "users, roles and the access of the service provider's business",
	"service-plan-addon":     "add-on plans that extend subscriptions",
	"site":                   "sites, the domains of a webspace",
	"user":                   "additional Plesk users",
	"role":                   "the roles of Plesk users",
	"business-logic-upgrade": "the upgrade of Plesk's business data",
	"webmail":                "webmail applications",
	"plan-item":              "plan items, the extra services plans can offer",
	"sitebuilder":            "the Site Builder integration",
	"service-node":           "service nodes of a multi-server installation",
	"ip-ban":                 "banned IP addresses",
	"wp-instance":            "WordPress installations",
	"php-handler":            "PHP handlers",
	"extension":              "Plesk extensions",
	"upload":                 "files uploaded to the server",
}

func carriedNote(root string) string {
	return " Carried from 1.6.9.0: the published 1.6.9.1 trees lack this operator, which the API still has."
}

func operatorDoc(root, op string, carried bool) string {
	var s string
	switch {
	case op == "system":
		s = "A packet-level error: the whole request was refused and no operator ran."
	case root == "agent_input":
		s = "Operations on " + noun(op) + "."
	default:
		s = "Answers to the operations on " + noun(op) + "."
	}
	if carried {
		s += carriedNote(root)
	}
	return s
}

func noun(op string) string {
	if n, ok := operatorNoun[op]; ok {
		return n
	}
	return "the " + op + " objects"
}

func typeDoc(t *ntype) string {
	both := false
	for u := range t.uses {
		if !strings.HasPrefix(u, t.root+"|") {
			both = true
		}
	}
	switch {
	case both:
		return "The " + t.opType + " operator: its operations in a request, their answers in a response."
	case t.root == "agent_input":
		return "The operations of the " + t.opType + " operator."
	}
	return "The answers of the " + t.opType + " operator."
}

// verbs turns the leading word of an operation name into a verb.
var verbs = map[string]string{
	"get": "Returns", "set": "Changes", "add": "Creates", "del": "Deletes", "delete": "Deletes",
	"remove": "Removes", "enable": "Turns on", "disable": "Turns off", "create": "Creates",
	"update": "Updates", "install": "Installs", "backup": "Backs up", "sync": "Synchronizes",
	"switch": "Switches", "rename": "Renames", "import": "Imports", "duplicate": "Copies",
	"check": "Checks", "register": "Registers", "unregister": "Unregisters", "download": "Downloads",
	"convert": "Converts", "assign": "Assigns", "test": "Tests", "terminate": "Ends",
	"suspend": "Suspends", "stop": "Stops", "start": "Starts", "restore": "Restores",
	"reread": "Reloads", "renew": "Renews", "reboot": "Restarts", "list": "Lists",
	"generate": "Generates", "finish": "Completes", "clean": "Cleans up", "change": "Changes",
	"call": "Calls", "apply": "Applies", "upgrade": "Upgrades", "upload": "Uploads",
	"activate": "Activates", "deactivate": "Deactivates", "reset": "Resets", "retrieve": "Fetches",
	"upgrade-to": "Upgrades", "uninstall": "Uninstalls", "move": "Moves", "cancel": "Cancels",
	"run": "Runs", "send": "Sends", "validate": "Validates", "save": "Saves", "restart": "Restarts",
	"refresh": "Refreshes", "unassign": "Unassigns", "migrate": "Migrates", "transfer": "Transfers",
	"clear": "Clears", "lock": "Locks", "unlock": "Unlocks", "export": "Exports", "put": "Stores",
}

var prepositions = map[string]bool{"with": true, "to": true, "from": true, "for": true, "in": true, "on": true, "by": true, "of": true, "into": true}

// words spells out the abbreviations of operation names.
var words = map[string]string{
	"rec": "records", "prefs": "preferences", "info": "information", "lic": "license",
	"srv": "service", "db": "database", "dbs": "databases", "ippool": "IP pool", "cform": "custom form",
	"acl": "access control list", "soa": "SOA record", "param": "parameter", "params": "parameters",
	"stat": "statistics", "gen": "general", "ssl": "SSL", "ftp": "FTP", "ip": "IP address",
	"ips": "IP addresses", "dns": "DNS", "php": "PHP", "id": "ID", "url": "URL", "ui": "UI",
	"sso": "SSO", "aps": "APS", "mx": "MX", "dkim": "DKIM", "spf": "SPF", "protos": "protocol versions",
	"cert": "certificate", "csr": "certificate signing request", "pkg": "package", "pkgs": "packages",
	"tmpl": "template", "usr": "user", "def": "default", "prop": "property", "props": "properties",
	"sb": "Site Builder", "misc": "miscellaneous settings", "man": "management", "wp": "WordPress", "ssh": "SSH", "vhost": "virtual host",
}

func opWords(name string) []string {
	f := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range f {
		if x, ok := words[w]; ok {
			f[i] = x
		}
	}
	return f
}

// operationSentence says in one sentence what the request operation name
// does, from its words: the first verb among them, what follows it as its
// object, what precedes it as what the object belongs to.
func operationSentence(op, name string) string {
	raw := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' })
	f := opWords(name)
	for i, w := range raw {
		v, ok := verbs[w]
		if !ok {
			continue
		}
		owner := strings.Join(f[:i], " ")
		rest := f[i+1:]
		prep := ""
		if len(rest) > 1 && prepositions[rest[0]] {
			prep, rest = rest[0]+" ", rest[1:]
		}
		object := strings.Join(rest, " ")
		switch {
		case prep != "":
			object = prep + "the " + object
			if owner != "" {
				object += " (" + owner + ")"
			}
		case object == "" && owner == "":
			object = "the " + singular(op)
		case object == "":
			object = "the " + owner
		case owner != "":
			object = "the " + object + " of the " + owner
		default:
			object = "the " + object
		}
		return v + " " + object + "."
	}
	return "Works on the " + strings.Join(f, " ") + " of the " + singular(op) + "."
}

// singular is the thing one operator operates on, for sentences.
func singular(op string) string {
	switch op {
	case "customer", "webspace", "subdomain", "site", "reseller", "user", "role", "extension", "session",
		"certificate", "database", "webuser", "maillist", "virtdir", "ftp-user", "protected-dir",
		"service-plan", "reseller-plan", "service-plan-addon", "site-alias", "db_server", "secret_key",
		"php-handler", "wp-instance", "plan-item", "service-node", "locale", "webmail":
		return strings.NewReplacer("-", " ", "_", " ").Replace(op) + "s"
	}
	return strings.NewReplacer("-", " ", "_", " ").Replace(op) + " objects"
}

func operationDoc(root, op, name string, carried bool) string {
	s := operationSentence(op, name)
	if root == "agent_input" {
		return s
	}
	return "The result of " + name + ", which " + strings.ToLower(s[:1]) + s[1:]
}

// pathDocs documents the packet-level elements that are not operators.
var pathDocs = map[string]string{
	"agent_input|/packet":                          "A request: optional settings, then one or more operators run in document order.",
	"agent_output|/packet":                         "A response: the answers of every operator sent, or one packet-level error.",
	"agent_input|/packet/request-settings":         "Name/value settings that apply to the whole request.",
	"agent_input|/packet/request-settings/setting": "One request setting.",
	"agent_input|/descriptor":                      "A description of the properties an object accepts, as Plesk returns it.",
	"agent_output|/descriptor":                     "A description of the properties an object accepts, as Plesk returns it.",
}

func globalDoc(root, name string) string { return pathDocs[root+"|/"+name] }

func fileWhat(w *writer, name string) string {
	switch name {
	case "agent_input.xsd":
		return "the request packet"
	case "agent_output.xsd":
		return "the response packet"
	case sharedFile:
		return "the types that requests and responses share, beyond the hand-written ones"
	case "request_types.xsd":
		return "request types that several operators share"
	case "response_types.xsd":
		return "response types that several operators share"
	case simpleFile:
		return "the named simple types, with the enumerations and facets of the official 1.6.6.0 schemas"
	}
	for _, r := range roots {
		for _, op := range w.opsOf[r] {
			if opFile(op, r) == name {
				what := "request"
				if r == "agent_output" {
					what = "response"
				}
				s := "the " + op + " operator's " + what
				if w.carried[op] {
					s += ", carried from 1.6.9.0"
				}
				return s
			}
		}
	}
	return name
}
