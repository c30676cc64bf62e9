package danvan

import "context"

// Unit kinds. The tree may have any depth; kinds only describe a unit.
const (
	UnitProvince   = "province"
	UnitDepartment = "department"
	UnitDistrict   = "district"
	UnitCommune    = "commune"
	UnitOther      = "other"
)

// Unit is an organisation in the tree that receives tasks: the province, a
// department, a district, a commune or a public service unit.
type Unit struct {
	Code       string `json:"code" validate:"required,code"`
	Name       string `json:"name" validate:"required,max=300"`
	ParentCode string `json:"parent_code,omitempty" validate:"omitempty,code"`
	Kind       string `json:"kind" validate:"required,oneof=province department district commune other"`
	Email      string `json:"email,omitempty" validate:"omitempty,email"`
	HeadEmail  string `json:"head_email,omitempty" validate:"omitempty,email"`
}

// UnitService manages the unit tree.
type UnitService interface {
	// ImportUnits creates or updates all units in one transaction, or none:
	// on failure it returns an EInvalid *Error naming every bad row.
	ImportUnits(ctx context.Context, units []Unit) (created, updated int, err error)
	// FindUnit returns ENotFound when no unit has code.
	FindUnit(ctx context.Context, code string) (*Unit, error)
	// ListUnits returns all units ordered by code.
	ListUnits(ctx context.Context) ([]Unit, error)
	// Subtree returns the codes of root and every unit below it; ENotFound
	// when root does not exist.
	Subtree(ctx context.Context, root string) ([]string, error)
}
