/*
 * user.h - the people who sign in to the newsroom, from the command line
 * (user.c): `nashra user DIR add --role ROLE NAME [--email E]
 * [--display-name N]` makes the author and the user in one transaction
 * (how a site gets its first admin), `nashra user DIR passwd NAME` sets a
 * new password and ends the user's sessions, `nashra user DIR list`.
 * Passwords are read from the terminal without echo, asked twice, or as
 * one line of stdin when it is not a terminal; the policy of
 * core/password.h applies.
 */
#ifndef NS_CLI_USER_H
#define NS_CLI_USER_H

#define CLI_USER_USAGE                                                                  \
    "nashra user DIR add --role admin|editor|author|contributor NAME [--email E]\n" \
    "                     [--display-name N]\n"                                      \
    "       nashra user DIR passwd NAME\n"                                             \
    "       nashra user DIR list"

/* Run `nashra user`: argv[0] is "user", argv[1] the site directory,
 * argv[2] the verb. Returns the exit status (cli.h); messages on stderr,
 * the list on stdout. */
int cli_user(int argc, char **argv);

#endif
