// Package rbac decides what a signed-in principal may do in a namespace.
// Roles are granted per namespace to users or groups and inherited by every
// descendant namespace; the strongest role on the path from Global wins.
package rbac
