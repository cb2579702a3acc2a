"""The rules of partnerships: who sees what (access), the joint framework (framework) and what
was achieved (impact). Views, admin, commands and the demo call these."""
