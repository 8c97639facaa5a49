package web

import (
	"regexp"
	"strings"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.0 document of every API route, generated
// from the same table that registers them.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		ops := paths[rt.Path]
		if ops == nil {
			ops = map[string]any{}
			paths[rt.Path] = ops
		}
		ops[strings.ToLower(rt.Method)] = operation(rt)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Outreach API", "version": "1",
			"description": "Residents, campaigns, scripts, calls, alerts, exports. Errors are {\"error\":{\"code\",\"message\"}}. " +
				"Programs send Authorization: Bearer <token>; browsers use the session cookie and send X-CSRF-Token on changes. " +
				"Creating POSTs accept Idempotency-Key: the first successful response is replayed."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
			"schemas": componentSchemas(),
		},
	}
}

func operation(rt route) map[string]any {
	op := map[string]any{
		"tags":        []string{rt.Tag},
		"summary":     rt.Summary,
		"operationId": operationID(rt),
		"x-role":      rt.Perm.String(),
		"responses": map[string]any{
			"200":     map[string]any{"description": "OK"},
			"default": map[string]any{"description": "Error", "content": jsonSchema("#/components/schemas/Error")},
		},
	}
	if rt.Returns != "" {
		code := "200"
		if rt.Create {
			code = "201"
		}
		op["responses"].(map[string]any)[code] = map[string]any{"description": "OK",
			"content": jsonSchema("#/components/schemas/" + rt.Returns)}
	}
	if rt.Perm != permPublic {
		op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
	}
	var params []map[string]any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "string"}})
	}
	if rt.Create {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
			"schema": map[string]any{"type": "string", "maxLength": 200}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Method == "POST" || rt.Method == "PATCH" {
		ct := "application/json"
		switch {
		case rt.Path == "/api/residents/import":
			ct = "multipart/form-data"
		case strings.HasPrefix(rt.Path, "/api/scripts"):
			ct = "application/yaml"
		}
		schema := map[string]any{"type": "object"}
		if rt.Body != "" {
			schema = map[string]any{"$ref": "#/components/schemas/" + rt.Body}
		}
		op["requestBody"] = map[string]any{"content": map[string]any{ct: map[string]any{"schema": schema}}}
	}
	return op
}

func jsonSchema(ref string) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": ref}}}
}

func operationID(rt route) string {
	p := pathParam.ReplaceAllString(strings.TrimPrefix(rt.Path, "/api/"), "by_$1")
	return strings.ToLower(rt.Method) + "_" + strings.NewReplacer("/", "_", "-", "_").Replace(p)
}
