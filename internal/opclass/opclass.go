// Package opclass classifies the operations of the Plesk XML API: whether
// an operation only reads the state of the server or may change it. The
// runtime's read retries and rpc.IsReadOperation rely on it, and so does
// the guard that refuses a match-all filter on a state-changing operation.
//
// The classification is an explicit table, not a rule on names: every
// operation of every operator in the request trees of protocol 1.6.6.0
// (computed from the official XSDs) through 1.6.9.1 is listed, each marked
// by what it does. A name can mislead: server/get-and-reset-counter resets
// what it reads, while webspace/cform_buttons_list and db-servers/list
// only read. Where the effect of an operation is not certain (a check that
// may contact another host, a download that prepares a file), it is
// marked as changing state. An operation missing from the table is
// treated as changing state.
//
// Operations of an operation group are written as a path: the webspace
// operator's db-servers group holds add, remove and list, sent as
// <webspace><db-servers><list>; its entries are "db-servers/add",
// "db-servers/remove" and "db-servers/list", and the group itself,
// "db-servers", counts as changing state.
package opclass

import "sort"

// Class is what an operation does to the state of the server.
type Class int

const (
	// Change: the operation may change state (or its effect is unknown).
	Change Class = iota
	// Read: the operation only reads state; sending it twice does no harm.
	Read
)

func (c Class) String() string {
	if c == Read {
		return "read"
	}
	return "change"
}

// Entry is one operation of the table.
type Entry struct {
	Operator  string // "webspace"
	Operation string // "get", or a path inside a group: "db-servers/list"
	Class     Class
}

var index = func() map[string]Class {
	m := make(map[string]Class, len(table))
	for _, e := range table {
		m[e.Operator+"/"+e.Operation] = e.Class
	}
	return m
}()

// Lookup returns the class of an operation and whether the table knows it.
// operation may be a path inside a group ("db-servers/list").
func Lookup(operator, operation string) (Class, bool) {
	c, ok := index[operator+"/"+operation]
	return c, ok
}

// IsRead reports whether the operation only reads state. Unknown
// operations, groups ("db-servers") and anything else not marked Read in
// the table give false.
func IsRead(operator, operation string) bool {
	c, ok := Lookup(operator, operation)
	return ok && c == Read
}

// All returns the table, sorted by operator and operation.
func All() []Entry {
	out := append([]Entry(nil), table...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Operation < out[j].Operation
	})
	return out
}

// table lists the operations of each operator in the order of the
// request schemas. get-and-reset-counter (server) is absent from the
// published trees but named by Plesk's documentation; it is listed so
// that no retry ever sends it twice.
var table = []Entry{
	// server
	{"server", "get_protos", Read},
	{"server", "get", Read},
	{"server", "set", Change},
	{"server", "srv_man", Change},
	{"server", "lic_install", Change},
	{"server", "lic_update", Change},
	{"server", "initial_setup", Change},
	{"server", "get_additional_key", Read},
	{"server", "remove_additional_key", Change},
	{"server", "renew_additional_key", Change},
	{"server", "set_misc", Change},
	{"server", "get_misc", Read},
	{"server", "create_session", Change},
	{"server", "del_misc", Change},
	{"server", "set-ppb-connection", Change},
	{"server", "set-poa-connection", Change},
	{"server", "reboot", Change},
	{"server", "license-rollback-key", Change},
	{"server", "license-retrieve-keys", Change},
	{"server", "lic_get_info", Read},
	{"server", "install-module", Change},
	{"server", "clean-mail-queue", Change},
	{"server", "add-admin-alias", Change},
	{"server", "set-admin-alias", Change},
	{"server", "del-admin-alias", Change},
	{"server", "domain-restriction-add", Change},
	{"server", "domain-restriction-remove", Change},
	{"server", "domain-restriction-list", Read},
	{"server", "domain-restriction-rename", Change},
	{"server", "domain-restriction-enable", Change},
	{"server", "domain-restriction-disable", Change},
	{"server", "get-and-reset-counter", Change},
	// customer
	{"customer", "add", Change},
	{"customer", "get", Read},
	{"customer", "del", Change},
	{"customer", "set", Change},
	{"customer", "set-billing-info", Change},
	{"customer", "convert-to-reseller", Change},
	{"customer", "change-owner", Change},
	{"customer", "get-domain-list", Read},
	// webspace
	{"webspace", "add", Change},
	{"webspace", "get", Read},
	{"webspace", "set", Change},
	{"webspace", "del", Change},
	{"webspace", "cform_buttons_list", Read},
	{"webspace", "get_traffic", Read},
	{"webspace", "set_traffic", Change},
	{"webspace", "get-limit-descriptor", Read},
	{"webspace", "get-permission-descriptor", Read},
	{"webspace", "get-physical-hosting-descriptor", Read},
	{"webspace", "switch-subscription", Change},
	{"webspace", "sync-subscription", Change},
	{"webspace", "add-subscription", Change},
	{"webspace", "remove-subscription", Change},
	{"webspace", "set-billing-info", Change},
	{"webspace", "add-package", Change},
	{"webspace", "remove-package", Change},
	{"webspace", "add-plan-item", Change},
	{"webspace", "remove-plan-item", Change},
	{"webspace", "enable-aps-filter", Change},
	{"webspace", "disable-aps-filter", Change},
	{"webspace", "get-changed", Read},
	{"webspace", "db-servers", Change},
	{"webspace", "db-servers/add", Change},
	{"webspace", "db-servers/remove", Change},
	{"webspace", "db-servers/list", Read},
	// subdomain
	{"subdomain", "add", Change},
	{"subdomain", "get", Read},
	{"subdomain", "del", Change},
	{"subdomain", "set", Change},
	{"subdomain", "rename", Change},
	// dns
	{"dns", "sync-with-template", Change},
	{"dns", "add_rec", Change},
	{"dns", "get_rec", Read},
	{"dns", "del_rec", Change},
	{"dns", "get_acl", Read},
	{"dns", "add_to_acl", Change},
	{"dns", "remove_from_acl", Change},
	{"dns", "set", Change},
	{"dns", "get", Read},
	{"dns", "switch", Change},
	{"dns", "add_master_server", Change},
	{"dns", "get_master_server", Read},
	{"dns", "del_master_server", Change},
	{"dns", "enable", Change},
	{"dns", "disable", Change},
	{"dns", "enable-remote-dns", Change},
	{"dns", "disable-remote-dns", Change},
	{"dns", "get-status-remote-dns", Read},
	{"dns", "set-recursion", Change},
	{"dns", "get-recursion", Read},
	{"dns", "get-supported-recursion", Read},
	// db_server
	{"db_server", "add", Change},
	{"db_server", "set", Change},
	{"db_server", "del", Change},
	{"db_server", "set-default", Change},
	{"db_server", "get-default", Read},
	{"db_server", "get", Read},
	{"db_server", "get-supported-types", Read},
	{"db_server", "get-local", Read},
	// mail
	{"mail", "create", Change},
	{"mail", "update", Change},
	{"mail", "update/add", Change},
	{"mail", "update/remove", Change},
	{"mail", "update/set", Change},
	{"mail", "get_info", Read},
	{"mail", "remove", Change},
	{"mail", "enable", Change},
	{"mail", "disable", Change},
	{"mail", "set_prefs", Change},
	{"mail", "get_prefs", Read},
	{"mail", "rename", Change},
	{"mail", "get-available-mail-providers", Read},
	// migration
	{"migration", "start", Change},
	{"migration", "finish", Change},
	{"migration", "get_fs", Read},
	{"migration", "get_status", Read},
	{"migration", "check", Change},
	// certificate
	{"certificate", "install", Change},
	{"certificate", "remove", Change},
	{"certificate", "generate", Change},
	{"certificate", "get-pool", Read},
	{"certificate", "update", Change},
	// site-alias
	{"site-alias", "create", Change},
	{"site-alias", "get", Read},
	{"site-alias", "set", Change},
	{"site-alias", "delete", Change},
	{"site-alias", "rename", Change},
	{"site-alias", "get-supported-services", Read},
	// ip
	{"ip", "add", Change},
	{"ip", "get", Read},
	{"ip", "set", Change},
	{"ip", "del", Change},
	// event_log
	{"event_log", "get", Read},
	{"event_log", "get_events", Read},
	{"event_log", "get-last-id", Read},
	// spamfilter
	{"spamfilter", "add-pattern", Change},
	{"spamfilter", "del-pattern", Change},
	{"spamfilter", "get-patterns", Read},
	{"spamfilter", "get", Read},
	{"spamfilter", "set", Change},
	{"spamfilter", "get-allowed-preferences", Read},
	{"spamfilter", "get-allowed-lists", Read},
	{"spamfilter", "check", Change},
	// secret_key
	{"secret_key", "create", Change},
	{"secret_key", "get_info", Read},
	{"secret_key", "delete", Change},
	// ui
	{"ui", "create-custombutton", Change},
	{"ui", "get-custombutton", Read},
	{"ui", "delete-custombutton", Change},
	{"ui", "get-navigation", Read},
	{"ui", "branding-theme-install", Change},
	{"ui", "branding-theme-uninstall", Change},
	// service-plan
	{"service-plan", "add", Change},
	{"service-plan", "get", Read},
	{"service-plan", "del", Change},
	{"service-plan", "set", Change},
	{"service-plan", "add-package", Change},
	{"service-plan", "remove-package", Change},
	{"service-plan", "enable-aps-filter", Change},
	{"service-plan", "disable-aps-filter", Change},
	{"service-plan", "add-plan-item", Change},
	{"service-plan", "remove-plan-item", Change},
	{"service-plan", "get-limit-descriptor", Read},
	{"service-plan", "get-permission-descriptor", Read},
	{"service-plan", "get-physical-hosting-descriptor", Read},
	{"service-plan", "db-servers", Change},
	{"service-plan", "db-servers/add", Change},
	{"service-plan", "db-servers/remove", Change},
	{"service-plan", "db-servers/list", Read},
	{"service-plan", "duplicate", Change},
	// webuser
	{"webuser", "add", Change},
	{"webuser", "del", Change},
	{"webuser", "set", Change},
	{"webuser", "get", Read},
	{"webuser", "set-prefs", Change},
	{"webuser", "get-prefs", Read},
	// maillist
	{"maillist", "add-list", Change},
	{"maillist", "del-list", Change},
	{"maillist", "get-list", Read},
	{"maillist", "add-member", Change},
	{"maillist", "get-members", Read},
	{"maillist", "del-member", Change},
	{"maillist", "enable", Change},
	{"maillist", "disable", Change},
	{"maillist", "enable-list", Change},
	{"maillist", "disable-list", Change},
	{"maillist", "get-status", Read},
	// virtdir
	{"virtdir", "create", Change},
	{"virtdir", "update", Change},
	{"virtdir", "remove", Change},
	{"virtdir", "get", Read},
	// database
	{"database", "add-db", Change},
	{"database", "del-db", Change},
	{"database", "get-db", Read},
	{"database", "set-default-user", Change},
	{"database", "get-default-user", Read},
	{"database", "add-db-user", Change},
	{"database", "del-db-user", Change},
	{"database", "get-db-users", Read},
	{"database", "set-db-user", Change},
	{"database", "assign-to-subscription", Change},
	{"database", "set-custom-host", Change},
	// ftp-user
	{"ftp-user", "add", Change},
	{"ftp-user", "set", Change},
	{"ftp-user", "del", Change},
	{"ftp-user", "get", Read},
	// session
	{"session", "get", Read},
	{"session", "terminate", Change},
	// updater
	{"updater", "check", Change},
	{"updater", "get-updates", Read},
	{"updater", "get-components", Read},
	{"updater", "install-component", Change},
	{"updater", "update", Change},
	// locale
	{"locale", "get", Read},
	{"locale", "install", Change},
	{"locale", "get-message", Read},
	{"locale", "remove", Change},
	{"locale", "enable", Change},
	{"locale", "disable", Change},
	// log-rotation
	{"log-rotation", "set", Change},
	{"log-rotation", "get", Read},
	{"log-rotation", "enable", Change},
	{"log-rotation", "disable", Change},
	{"log-rotation", "get-status", Read},
	// backup-manager
	{"backup-manager", "get-remote-storage-settings", Read},
	{"backup-manager", "set-remote-storage-settings", Change},
	{"backup-manager", "backup-webspace", Change},
	{"backup-manager", "backup-customer", Change},
	{"backup-manager", "backup-reseller", Change},
	{"backup-manager", "backup-server", Change},
	{"backup-manager", "get-tasks-info", Read},
	{"backup-manager", "get-local-backup-list", Read},
	{"backup-manager", "import-file", Change},
	{"backup-manager", "download-file", Change},
	{"backup-manager", "get-supported-protocols", Read},
	{"backup-manager", "stop-backup", Change},
	{"backup-manager", "remove-file", Change},
	{"backup-manager", "get-server-wide-settings", Read},
	{"backup-manager", "set-server-wide-settings", Change},
	// sso
	{"sso", "enable", Change},
	{"sso", "disable", Change},
	{"sso", "register", Change},
	{"sso", "set-default-idp", Change},
	{"sso", "get-default-idp", Read},
	{"sso", "restore-default-idp", Change},
	{"sso", "set-branded-idp", Change},
	{"sso", "get-branded-idp", Read},
	{"sso", "del-branded-idp", Change},
	{"sso", "add-delegation-rule", Change},
	{"sso", "del-delegation-rule", Change},
	{"sso", "get-prefs", Read},
	{"sso", "set", Change},
	// protected-dir
	{"protected-dir", "add", Change},
	{"protected-dir", "delete", Change},
	{"protected-dir", "set", Change},
	{"protected-dir", "get", Read},
	{"protected-dir", "add-user", Change},
	{"protected-dir", "set-user", Change},
	{"protected-dir", "delete-user", Change},
	{"protected-dir", "get-user", Read},
	{"protected-dir", "get-pd-location-descriptor", Read},
	// reseller
	{"reseller", "add", Change},
	{"reseller", "set", Change},
	{"reseller", "get", Read},
	{"reseller", "del", Change},
	{"reseller", "ippool-add-ip", Change},
	{"reseller", "ippool-del-ip", Change},
	{"reseller", "ippool-set-ip", Change},
	{"reseller", "cform-buttons-list", Read},
	{"reseller", "get-limit-descriptor", Read},
	{"reseller", "get-permission-descriptor", Read},
	{"reseller", "convert-to-customer", Change},
	{"reseller", "switch-subscription", Change},
	{"reseller", "sync-subscription", Change},
	{"reseller", "add-package", Change},
	{"reseller", "remove-package", Change},
	{"reseller", "enable-aps-filter", Change},
	{"reseller", "disable-aps-filter", Change},
	{"reseller", "get-domain-list", Read},
	// reseller-plan
	{"reseller-plan", "add", Change},
	{"reseller-plan", "get", Read},
	{"reseller-plan", "del", Change},
	{"reseller-plan", "set", Change},
	{"reseller-plan", "add-package", Change},
	{"reseller-plan", "remove-package", Change},
	{"reseller-plan", "get-limit-descriptor", Read},
	{"reseller-plan", "get-permission-descriptor", Read},
	{"reseller-plan", "enable-aps-filter", Change},
	{"reseller-plan", "disable-aps-filter", Change},
	{"reseller-plan", "duplicate", Change},
	// aps
	{"aps", "download-package", Change},
	{"aps", "get-download-status", Read},
	{"aps", "import-package", Change},
	{"aps", "get-packages-list", Read},
	{"aps", "install", Change},
	{"aps", "import-config", Change},
	{"aps", "set-package-properties", Change},
	{"aps", "get-packages-list-by-reseller", Read},
	{"aps", "get-packages-list-by-webspace", Read},
	// smb
	{"smb", "initial_setup", Change},
	// service-plan-addon
	{"service-plan-addon", "add", Change},
	{"service-plan-addon", "get", Read},
	{"service-plan-addon", "del", Change},
	{"service-plan-addon", "set", Change},
	{"service-plan-addon", "add-package", Change},
	{"service-plan-addon", "remove-package", Change},
	{"service-plan-addon", "get-limit-descriptor", Read},
	{"service-plan-addon", "get-permission-descriptor", Read},
	{"service-plan-addon", "get-physical-hosting-descriptor", Read},
	{"service-plan-addon", "duplicate", Change},
	// site
	{"site", "add", Change},
	{"site", "get", Read},
	{"site", "set", Change},
	{"site", "del", Change},
	{"site", "cform_buttons_list", Read},
	{"site", "get_traffic", Read},
	{"site", "set_traffic", Change},
	{"site", "get-physical-hosting-descriptor", Read},
	// user
	{"user", "add", Change},
	{"user", "get", Read},
	{"user", "set", Change},
	{"user", "del", Change},
	{"user", "add-billing", Change},
	{"user", "set-billing", Change},
	{"user", "del-billing", Change},
	// role
	{"role", "add", Change},
	{"role", "get", Read},
	{"role", "set", Change},
	{"role", "del", Change},
	{"role", "get-permission-descriptor", Read},
	// business-logic-upgrade
	{"business-logic-upgrade", "get-customers-to-upgrade", Read},
	{"business-logic-upgrade", "get-subscriptions-to-upgrade", Read},
	{"business-logic-upgrade", "apply-solution", Change},
	// webmail
	{"webmail", "get-supported", Read},
	{"webmail", "get-available", Read},
	{"webmail", "register", Change},
	{"webmail", "unregister", Change},
	{"webmail", "enable", Change},
	{"webmail", "disable", Change},
	// plan-item
	{"plan-item", "add", Change},
	{"plan-item", "update", Change},
	{"plan-item", "remove", Change},
	{"plan-item", "get", Read},
	// sitebuilder
	{"sitebuilder", "assign-trial-site", Change},
	{"sitebuilder", "suspend-site", Change},
	{"sitebuilder", "remove-site", Change},
	// service-node
	{"service-node", "add", Change},
	{"service-node", "set", Change},
	{"service-node", "list", Read},
	{"service-node", "reread-info", Change},
	{"service-node", "remove", Change},
	{"service-node", "test-remove", Change},
	// ip-ban
	{"ip-ban", "get-settings", Read},
	{"ip-ban", "set-settings", Change},
	// wp-instance
	{"wp-instance", "enable-auto-updates", Change},
	{"wp-instance", "disable-auto-updates", Change},
	{"wp-instance", "remove", Change},
	{"wp-instance", "update-core", Change},
	{"wp-instance", "clear-cache", Change},
	{"wp-instance", "activate-plugin", Change},
	{"wp-instance", "deactivate-plugin", Change},
	{"wp-instance", "uninstall-plugin", Change},
	{"wp-instance", "update-plugin", Change},
	{"wp-instance", "install-plugin", Change},
	{"wp-instance", "activate-theme", Change},
	{"wp-instance", "uninstall-theme", Change},
	{"wp-instance", "update-theme", Change},
	{"wp-instance", "install-theme", Change},
	{"wp-instance", "get-list", Read},
	{"wp-instance", "get-plugin-list", Read},
	{"wp-instance", "get-theme-list", Read},
	{"wp-instance", "search-plugins", Read},
	{"wp-instance", "search-themes", Read},
	{"wp-instance", "get-security-status", Read},
	// php-handler
	{"php-handler", "get", Read},
	{"php-handler", "enable", Change},
	{"php-handler", "disable", Change},
	{"php-handler", "get-usage", Read},
	// extension
	{"extension", "install", Change},
	{"extension", "call", Change},
	{"extension", "uninstall", Change},
	{"extension", "get", Read},
}
