package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cadrestats/cadrestats/internal/stats"
)

type usersPage struct {
	Users    []stats.User
	Username string
	Role     string
	Errors   map[string]string
}

func (s *Server) users(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersPage{Role: string(stats.RoleEditor)})
}

func (s *Server) renderUsers(c echo.Context, status int, pg usersPage) error {
	us, err := s.accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	pg.Users = us
	p := s.printer(c)
	return s.render(c, status, "admin_users", view{Title: p.T("admin.users.title"), Nav: "admin", Data: pg})
}

// createUser adds an account (admins only).
func (s *Server) createUser(c echo.Context) error {
	u := currentUser(c)
	pg := usersPage{Username: c.FormValue("username"), Role: c.FormValue("role"), Errors: map[string]string{}}
	_, err := s.accounts.Create(c.Request().Context(), &u, pg.Username, stats.Role(pg.Role), c.FormValue("password"))
	if err == nil {
		s.sessions.flash(c, "admin.flash.user_created")
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	return s.userFormError(c, pg, err)
}

// updateUser changes a user's role, disables or enables them, or resets
// their password (admins only).
func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	disabled, _ := strconv.ParseBool(c.FormValue("disabled"))
	err = s.accounts.Update(c.Request().Context(), currentUser(c), id, stats.Role(c.FormValue("role")), disabled, c.FormValue("password"))
	if err == nil {
		s.sessions.flash(c, "admin.flash.user_saved")
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	return s.userFormError(c, usersPage{Role: string(stats.RoleEditor), Errors: map[string]string{}}, err)
}

func (s *Server) userFormError(c echo.Context, pg usersPage, err error) error {
	p := s.printer(c)
	var v *stats.ValidationError
	switch {
	case errors.As(err, &v):
		for _, f := range v.Fields {
			pg.Errors[f.Field] = fieldMessage(p, f)
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

func (s *Server) passwordForm(c echo.Context) error {
	p := s.printer(c)
	return s.render(c, http.StatusOK, "admin_password", view{Title: p.T("admin.password.title"), Nav: "admin", Data: passwordPage{}})
}

// changePassword replaces the user's own password and keeps them signed
// in (other sessions of theirs end: their auth time is now older).
func (s *Server) changePassword(c echo.Context) error {
	p := s.printer(c)
	err := s.accounts.ChangePassword(c.Request().Context(), currentUser(c), c.FormValue("current_password"), c.FormValue("new_password"))
	var v *stats.ValidationError
	if errors.As(err, &v) {
		pg := passwordPage{Errors: map[string]string{}}
		for _, f := range v.Fields {
			pg.Errors[f.Field] = fieldMessage(p, f)
		}
		return s.render(c, http.StatusUnprocessableEntity, "admin_password", view{Title: p.T("admin.password.title"), Nav: "admin", Data: pg})
	}
	if err != nil {
		return err
	}
	m := s.sessions.manager(c.Request())
	if err := m.RenewToken(c.Request().Context()); err != nil {
		return err
	}
	m.Put(c.Request().Context(), "auth_at", s.now().Unix())
	s.sessions.flash(c, "admin.flash.password_changed")
	return c.Redirect(http.StatusSeeOther, "/admin")
}
