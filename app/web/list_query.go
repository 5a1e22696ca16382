package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// pageNumber is the 1-based page a list request asks for; a missing or bad
// value means the first.
func pageNumber(c *fiber.Ctx) int {
	return max(c.QueryInt(components.PageParam, 1), 1)
}

// filterValues is the query string of a list's active filters, which its
// pagination and sort links keep: the key/value pairs of kv whose value is set.
func filterValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

// checkbox is a ticked checkbox's query value, and "" (left out) otherwise.
func checkbox(on bool) string {
	if on {
		return "on"
	}
	return ""
}
