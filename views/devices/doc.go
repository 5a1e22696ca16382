// Package devices renders the Devices page (enrolled WebAuthn devices with
// approve and delete) and the form that makes an enrollment link.
package devices
