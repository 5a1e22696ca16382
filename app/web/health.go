package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/assets"
)

// healthz answers as long as the process serves requests.
func (s *server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the database answers, so a load balancer
// stops sending traffic to a replica that lost its database.
func (s *server) readyz(c *fiber.Ctx) error {
	if err := s.ready(c.UserContext()); err != nil {
		s.Logger.Warn("not ready", "error", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "error": "database is not reachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": s.Store.Kind()})
}

// serveAsset serves the embedded, content-hashed files; their names change
// with their content, so they are cached for good.
func serveAsset(c *fiber.Ctx) error {
	body, contentType, ok := assets.Lookup(c.Path())
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(body)
}
