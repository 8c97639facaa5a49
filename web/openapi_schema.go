package web

import (
	"reflect"
	"strings"
	"time"
)

// apiSchemas are the named body schemas of the OpenAPI document, generated
// from the Go types the handlers encode and decode, so they cannot drift.
var apiSchemas = map[string]reflect.Type{
	"Campaign":      reflect.TypeFor[campaignJSON](),
	"CampaignInput": reflect.TypeFor[campaignInput](),
	"CampaignList":  reflect.TypeFor[struct{ Campaigns []campaignJSON }](),
}

// schemaOf describes t as an OpenAPI schema: structs by their json tags.
func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Struct:
		props := map[string]any{}
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			props[name] = schemaOf(f.Type)
		}
		return map[string]any{"type": "object", "properties": props}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	}
	return map[string]any{"type": "string"}
}

// componentSchemas returns the document's components.schemas.
func componentSchemas() map[string]any {
	out := map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
		"error": map[string]any{"type": "object", "properties": map[string]any{
			"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}}}}
	for name, t := range apiSchemas {
		out[name] = schemaOf(t)
	}
	return out
}
