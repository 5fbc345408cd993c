#!/bin/bash
# interactive.sh TARGETCLI VM-CACHE : the shell in a real terminal on the
# real kernel. tmux runs targetcli inside the test VM (the same path as
# scripts/build-and-start.sh), types partial words and Tab, and reads the
# screen back: completions, prompts, messages, Ctrl-C and Ctrl-D.
set -u
targetcli=$1 cache=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
session=lio-tty-$$
fail=0
pane() { tmux capture-pane -p -t "$session" -S -200; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (tmux drops
# trailing blanks, so TEXT has none).
wait_for() {
    local i
    for i in $(seq 1 $((${2:-20} * 5))); do
        pane | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    echo "FAIL: the screen never showed: $1"
    pane | tail -15
    fail=1
    return 1
}
# last_line_is TEXT: the line being edited reads exactly TEXT.
last_line_is() {
    local i line
    for i in $(seq 1 25); do
        line=$(pane | sed '/^$/d' | tail -1)
        [ "$line" = "$1" ] && return 0
        sleep 0.2
    done
    echo "FAIL: the input line is '$line', want '$1'"
    fail=1
}
send() { tmux send-keys -t "$session" "$@"; }
trap 'tmux kill-session -t "$session" 2>/dev/null' EXIT

tmux new-session -d -s "$session" -x 160 -y 50 \
    "LIO_VM_CACHE=$cache $top/tests/vm/run.sh --interactive -- $targetcli; echo EXITED=\$?; sleep 60"
wait_for "For help on commands, type 'help'." 240 || exit 1
wait_for "/>" || exit 1

send "ls" Enter
wait_for "o- / " && wait_for "o- backstores "

# Tab completes a path, then a command, then an existing name.
send "cd /backst" Tab
last_line_is "/> cd /backstores/"
send C-u "/backstores/ramdisk cre" Tab
last_line_is "/> /backstores/ramdisk create"
send " kt_rd 1M" Enter
wait_for "Created ramdisk kt_rd with size 1M."
send "cd /backstores/ramdisk/kt" Tab
last_line_is "/> cd /backstores/ramdisk/kt_rd/"
send Enter
wait_for "/backstores/ramdisk/kt_rd>"
# Tab twice lists the commands of this node.
send "i" Tab
last_line_is "/backstores/ramdisk/kt_rd> info"
send C-u "/iscsi create iqn.2024-01.org.example:tty" Enter
wait_for "Created target iqn.2024-01.org.example:tty."
send "cd /iscsi/iqn.2024-01.org.example:tty/tpg1/luns" Enter
# The prompt is shortened to prompt_length (30) characters.
wait_for "/iscsi/iqn.20...tty/tpg1/luns>"
send "create /backstores/ramdisk/k" Tab
last_line_is "/iscsi/iqn.20...tty/tpg1/luns> create /backstores/ramdisk/kt_rd"
send Enter
wait_for "Created LUN 0."
# Keyword names and boolean values complete too.
send "cd ../portals" Enter
wait_for "/iscsi/iqn.20.../tpg1/portals>"
# The host's addresses (libnl, loaded at first use) complete an IP.
send "create 127.0." Tab
last_line_is "/iscsi/iqn.20.../tpg1/portals> create 127.0.0.1"
send C-u
send "/ set global auto_save_on_e" Tab
last_line_is "/iscsi/iqn.20.../tpg1/portals> / set global auto_save_on_exit="
send "t" Tab
last_line_is "/iscsi/iqn.20.../tpg1/portals> / set global auto_save_on_exit=true"
# Ctrl-C drops the line, the shell stays.
send C-c
send "pwd" Enter
wait_for "/iscsi/iqn.2024-01.org.example:tty/tpg1/portals"
send "nosuchcommand" Enter
wait_for "Command not found nosuchcommand"
# Ctrl-D leaves, saving as root with auto_save_on_exit.
send C-d
wait_for "Configuration saved to /etc/target/saveconfig.json" 30
wait_for "EXITED=0" 60
[ $fail = 0 ] && echo "interactive session ok"
exit $fail
