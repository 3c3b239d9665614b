"""`dsm-admin`: the administrator's side of DSM for sites without Windows Server.

`spec` builds and validates psp:PostScanProcess documents, `security` edits a process object's
nTSecurityDescriptor, `stores` reads and writes scan processes in AD/LDAP or the standalone file,
and `cli` is the command line. The web console (dsm_server.console) uses the same modules.
"""
