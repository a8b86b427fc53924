package rpc

// Ptr returns a pointer to v: optional fields of generated requests are
// pointers, so that an unset value is left out rather than sent empty (Plesk
// rejects empty typed values).
//
//	req.PlanGUID = rpc.Ptr("cc982f71-48c3-479d-bc7b-59b97547e092")
func Ptr[T any](v T) *T { return &v }
