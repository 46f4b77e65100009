package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/server/httpkit"
	"github.com/cadrestats/cadrestats/internal/server/render"
	"github.com/cadrestats/cadrestats/internal/server/session"
	"github.com/cadrestats/cadrestats/internal/stats"
)

type usersPage struct {
	Users    []stats.User
	Username string
	Role     string
	Errors   map[string]string
}

func (s *Handler) users(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersPage{Role: string(stats.RoleEditor)})
}

func (s *Handler) renderUsers(c echo.Context, status int, pg usersPage) error {
	us, err := s.accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	pg.Users = us
	p := s.Printer(c)
	return s.Render(c, status, "admin_users", render.View{Title: p.T("admin.users.title"), Nav: "admin", Data: pg})
}

// createUser adds an account (admins only).
func (s *Handler) createUser(c echo.Context) error {
	u := session.CurrentUser(c)
	pg := usersPage{Username: c.FormValue("username"), Role: c.FormValue("role"), Errors: map[string]string{}}
	_, err := s.accounts.Create(c.Request().Context(), &u, pg.Username, stats.Role(pg.Role), c.FormValue("password"))
	if err == nil {
		s.sessions.Flash(c, "admin.flash.user_created")
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	return s.userFormError(c, pg, err)
}

// updateUser changes a user's role, disables or enables them, or resets
// their password (admins only).
func (s *Handler) updateUser(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	disabled, _ := strconv.ParseBool(c.FormValue("disabled"))
	err = s.accounts.Update(c.Request().Context(), session.CurrentUser(c), id, stats.Role(c.FormValue("role")), disabled, c.FormValue("password"))
	if err == nil {
		s.sessions.Flash(c, "admin.flash.user_saved")
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	return s.userFormError(c, usersPage{Role: string(stats.RoleEditor), Errors: map[string]string{}}, err)
}

func (s *Handler) userFormError(c echo.Context, pg usersPage, err error) error {
	p := s.Printer(c)
	var v *stats.ValidationError
	switch {
	case errors.As(err, &v):
		for _, f := range v.Fields {
			pg.Errors[f.Field] = httpkit.FieldMessage(p, f)
		}
	case errors.Is(err, stats.ErrConflict):
		pg.Errors["username"] = p.T("error.username.taken")
	default:
		return err
	}
	return s.renderUsers(c, http.StatusUnprocessableEntity, pg)
}

type passwordPage struct {
	Errors map[string]string
}

func (s *Handler) passwordForm(c echo.Context) error {
	p := s.Printer(c)
	return s.Render(c, http.StatusOK, "admin_password", render.View{Title: p.T("admin.password.title"), Nav: "admin", Data: passwordPage{}})
}

// changePassword replaces the user's own password and keeps them signed
// in (other sessions of theirs end: their auth time is now older).
func (s *Handler) changePassword(c echo.Context) error {
	p := s.Printer(c)
	err := s.accounts.ChangePassword(c.Request().Context(), session.CurrentUser(c), c.FormValue("current_password"), c.FormValue("new_password"))
	var v *stats.ValidationError
	if errors.As(err, &v) {
		pg := passwordPage{Errors: map[string]string{}}
		for _, f := range v.Fields {
			pg.Errors[f.Field] = httpkit.FieldMessage(p, f)
		}
		return s.Render(c, http.StatusUnprocessableEntity, "admin_password", render.View{Title: p.T("admin.password.title"), Nav: "admin", Data: pg})
	}
	if err != nil {
		return err
	}
	m := s.sessions.Manager(c.Request())
	if err := m.RenewToken(c.Request().Context()); err != nil {
		return err
	}
	m.Put(c.Request().Context(), "auth_at", s.now().Unix())
	s.sessions.Flash(c, "admin.flash.password_changed")
	return c.Redirect(http.StatusSeeOther, "/admin")
}
