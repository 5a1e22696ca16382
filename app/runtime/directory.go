package runtime

import (
	"context"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
)

// UserRef names a user the way lists show them.
type UserRef struct {
	ID    string
	Name  string
	Email string
}

// DisplayName is the name, else the e-mail, else the id.
func (u UserRef) DisplayName() string {
	switch {
	case u.Name != "":
		return u.Name
	case u.Email != "":
		return u.Email
	}
	return u.ID
}

// Group is a directory group (pomerium.io/DirectoryGroup).
type Group struct {
	ID    string
	Name  string
	Email string
}

// directory is what one cluster knows about people: Core's user.User
// records and directory sync's users and groups, by id.
type directory struct {
	users    map[string]*userpb.User
	dirUsers map[string]*structpb.Struct
	groups   map[string]Group
}

// loadDirectory reads the user, directory-user and directory-group records.
func loadDirectory(ctx context.Context, c *databroker.Client) (directory, error) {
	d := directory{users: map[string]*userpb.User{}, dirUsers: map[string]*structpb.Struct{}, groups: map[string]Group{}}
	users, err := loadAll(ctx, c, UserType, "", newUser)
	if err != nil {
		return d, err
	}
	for _, u := range users {
		d.users[u.rec.GetId()] = u.msg
	}
	dirUsers, err := loadAll(ctx, c, DirectoryUserType, "", newStruct)
	if err != nil {
		return d, err
	}
	for _, u := range dirUsers {
		d.dirUsers[u.rec.GetId()] = u.msg
	}
	groups, err := loadAll(ctx, c, DirectoryGroupType, "", newStruct)
	if err != nil {
		return d, err
	}
	for _, g := range groups {
		d.groups[g.rec.GetId()] = groupOf(g.rec.GetId(), g.msg)
	}
	return d, nil
}

// groupOf reads a DirectoryGroup record.
func groupOf(id string, s *structpb.Struct) Group {
	return Group{ID: id, Name: structString(s, "name"), Email: structString(s, "email")}
}

// ref names user id: Core's user.User first (what the IdP said at the last
// refresh), then the directory's entry, as Core's email criterion reads
// them the other way round only for e-mail.
func (d directory) ref(id string) UserRef {
	r := UserRef{ID: id}
	if u, ok := d.users[id]; ok {
		r.Name, r.Email = u.GetName(), u.GetEmail()
	}
	if du, ok := d.dirUsers[id]; ok {
		if email := structString(du, "email"); email != "" {
			r.Email = email
		}
		if r.Name == "" {
			r.Name = structString(du, "display_name")
		}
	}
	return r
}

// groupsOf lists the directory groups of user id, named when the group
// record exists, sorted by name.
func (d directory) groupsOf(id string) []Group {
	du, ok := d.dirUsers[id]
	if !ok {
		return nil
	}
	var out []Group
	for _, gid := range structStrings(du, "group_ids") {
		g, ok := d.groups[gid]
		if !ok {
			g = Group{ID: gid, Name: gid}
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}
