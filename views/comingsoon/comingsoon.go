package comingsoon

import "github.com/pomerium-console-oss/pomerium-console/views/layout"

// VM names the section whose placeholder is shown.
type VM struct {
	Section string // a layout.Section* key
}

// purposes say in one sentence what each section will do, after the product documentation.
var purposes = map[string]string{
	layout.SectionRoutes:          "Routes send requests from an external address to an upstream service, with the policies that decide who may reach it.",
	layout.SectionPolicies:        "Policies are Pomerium Policy Language rules that decide who may reach a route; enforced policies apply to every route of the namespace and its children.",
	layout.SectionCertificates:    "Key pairs are the TLS certificates and private keys Pomerium serves for your routes, with their subjects and expiry dates.",
	layout.SectionDeployments:     "Every applied configuration is a numbered snapshot that you can compare with another, and re-deploy.",
	layout.SectionSettings:        "Global settings affect how Pomerium runs, logs and communicates, across every namespace.",
	layout.SectionServiceAccounts: "Service accounts authenticate machine-to-machine communication between services protected by Pomerium.",
	layout.SectionNamespaces:      "Namespaces organize users, routes and policies into a tree and delegate who may manage them.",
	layout.SectionExternalData:    "External data sources import records, such as device inventories, that policies can use.",
	layout.SectionClusters:        "A cluster is an isolated Pomerium Core instance that receives its own configuration from the console.",
	layout.SectionActivity:        "The activity log records who changed what, and when, with the values before and after.",
	layout.SectionSessions:        "Sessions lists who is signed in through Pomerium, and lets you revoke a session.",
	layout.SectionDevices:         "Devices lists the devices users have enrolled, and lets you approve or remove them.",
	layout.SectionUsers:           "Users lists the people the console and Pomerium know, with their groups and roles.",
}

func (vm VM) title() string {
	if t := layout.SectionTitle(vm.Section); t != "" {
		return t
	}
	return "This page"
}

func (vm VM) purpose() string { return purposes[vm.Section] }
