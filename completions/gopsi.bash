_gopsi() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="gopsi"
                ;;
            gopsi,files)
                cmd="gopsi__subcmd__files"
                ;;
            gopsi,help)
                cmd="gopsi__subcmd__help"
                ;;
            gopsi,inspect)
                cmd="gopsi__subcmd__inspect"
                ;;
            gopsi,metrics)
                cmd="gopsi__subcmd__metrics"
                ;;
            gopsi,ports)
                cmd="gopsi__subcmd__ports"
                ;;
            gopsi,ps)
                cmd="gopsi__subcmd__ps"
                ;;
            gopsi,serve)
                cmd="gopsi__subcmd__serve"
                ;;
            gopsi,top)
                cmd="gopsi__subcmd__top"
                ;;
            gopsi__subcmd__help,files)
                cmd="gopsi__subcmd__help__subcmd__files"
                ;;
            gopsi__subcmd__help,help)
                cmd="gopsi__subcmd__help__subcmd__help"
                ;;
            gopsi__subcmd__help,inspect)
                cmd="gopsi__subcmd__help__subcmd__inspect"
                ;;
            gopsi__subcmd__help,metrics)
                cmd="gopsi__subcmd__help__subcmd__metrics"
                ;;
            gopsi__subcmd__help,ports)
                cmd="gopsi__subcmd__help__subcmd__ports"
                ;;
            gopsi__subcmd__help,ps)
                cmd="gopsi__subcmd__help__subcmd__ps"
                ;;
            gopsi__subcmd__help,serve)
                cmd="gopsi__subcmd__help__subcmd__serve"
                ;;
            gopsi__subcmd__help,top)
                cmd="gopsi__subcmd__help__subcmd__top"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        gopsi)
            opts="-h -V --proc-root --help --version ps top ports files inspect serve metrics help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__files)
            opts="-h --json --proc-root --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help)
            opts="ps top ports files inspect serve metrics help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__files)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__metrics)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__ports)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__ps)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__serve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__help__subcmd__top)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__inspect)
            opts="-h --interval --json --proc-root --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --interval)
                    COMPREPLY=("${cur}")
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o nospace
                    fi
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__metrics)
            opts="-o -h --group-by --config --names --top --top-by --output --format --proc-root --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --group-by)
                    COMPREPLY=($(compgen -W "comm exe user cgroup" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                --names)
                    COMPREPLY=($(compgen -W "gopsi process-exporter" -- "${cur}"))
                    return 0
                    ;;
                --top)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --top-by)
                    COMPREPLY=($(compgen -W "cpu rss" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                -o)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "prometheus openmetrics" -- "${cur}"))
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__ports)
            opts="-a -l -t -u -x -4 -6 -n -p -h --all --listening --tcp --udp --unix --ipv4 --ipv6 --numeric --pid --json --proc-root --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --pid)
                    COMPREPLY=("${cur}")
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o nospace
                    fi
                    return 0
                    ;;
                -p)
                    COMPREPLY=("${cur}")
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o nospace
                    fi
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__ps)
            opts="-e -a -d -N -C -G -g -p -q -s -t -u -U -f -F -H -j -l -y -o -w -L -T -m -V --Group --group --pid --ppid --quick-pid --sid --tty --user --User --format --sort --forest --headers --no-headers --columns --width --cols --lines --rows --json --cumulative --help --proc-root"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --Group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -G)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -p)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ppid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --quick-pid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tty)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -t)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -u)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --User)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -U)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "pid tgid ppid pgid pgrp sid sess session tpgid lwp tid spid user uname euser uid_hack ruser suser svuser fuser fsuser uid euid ruid suid svuid fuid fsuid group egroup rgroup sgroup svgroup fgroup fsgroup supgid supgrp gid egid rgid sgid svgid fgid fsgid %cpu pcpu c util cuu cuc cp time cputime atime times cputimes bsdtime etime etimes start_time stime start bsdstart lstart ni nice pri opri intpri priority rtprio cls class policy sched pri_api pri_bar pri_baz pri_foo sgi_p psr cpuid lastcpu nlwp thcount %mem pmem vsz vsize rss rssize rsz sz size m_size drs m_drs dsiz trs m_trs trss tsiz maj_flt majflt pagein min_flt minflt pss uss lim stackp start_stack esp eip addr alarm timeout cpu jobc re sl m_dt m_share m_swap nwchan vm_lib addr_1 label context zone stat s state f flag flags wchan wname tty tt tname tty8 longtname tty4 pending sig sig_pend tsig blocked sigmask sig_block ignored sigignore sig_ignore caught sigcatch sig_catch args command cmd comm ucomm ucmd fname exe oom oomadj cgroupns ipcns mntns netns pidns userns utsns timens rbytes rchars rops wbytes wcbytes wchars wops cgroup cgname ag_id ag_nice luid numa sgi_rss slice unit uunit seat machine ouid lsession lxc _left _left2 _right _right2 _unlimited _unlimited2 acflag acflg argc bnd cmaj_flt cmin_flt cnswap ctid cursig cutime cwd emul end_code environ inblk inblock jid ktrace ktracep login logname luser m_lrs m_resident msgrcv msgsnd mwchan nivcsw nsignals nsigs nswap nvcsw osz oublk oublock p_ru paddr poip prmgrp prmid project projid pset psxpri resident rlink scnt scount share start_code status systime taskid tdev tmout tsess tsession tsid u_procp umask upr uprocp usertime usrpri utime vm_data vm_exe vm_lock vm_stack xstat zoneid ~" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "pid tgid ppid pgid pgrp sid sess session tpgid lwp tid spid user uname euser uid_hack ruser suser svuser fuser fsuser uid euid ruid suid svuid fuid fsuid group egroup rgroup sgroup svgroup fgroup fsgroup supgid supgrp gid egid rgid sgid svgid fgid fsgid %cpu pcpu c util cuu cuc cp time cputime atime times cputimes bsdtime etime etimes start_time stime start bsdstart lstart ni nice pri opri intpri priority rtprio cls class policy sched pri_api pri_bar pri_baz pri_foo sgi_p psr cpuid lastcpu nlwp thcount %mem pmem vsz vsize rss rssize rsz sz size m_size drs m_drs dsiz trs m_trs trss tsiz maj_flt majflt pagein min_flt minflt pss uss lim stackp start_stack esp eip addr alarm timeout cpu jobc re sl m_dt m_share m_swap nwchan vm_lib addr_1 label context zone stat s state f flag flags wchan wname tty tt tname tty8 longtname tty4 pending sig sig_pend tsig blocked sigmask sig_block ignored sigignore sig_ignore caught sigcatch sig_catch args command cmd comm ucomm ucmd fname exe oom oomadj cgroupns ipcns mntns netns pidns userns utsns timens rbytes rchars rops wbytes wcbytes wchars wops cgroup cgname ag_id ag_nice luid numa sgi_rss slice unit uunit seat machine ouid lsession lxc _left _left2 _right _right2 _unlimited _unlimited2 acflag acflg argc bnd cmaj_flt cmin_flt cnswap ctid cursig cutime cwd emul end_code environ inblk inblock jid ktrace ktracep login logname luser m_lrs m_resident msgrcv msgsnd mwchan nivcsw nsignals nsigs nswap nvcsw osz oublk oublock p_ru paddr poip prmgrp prmid project projid pset psxpri resident rlink scnt scount share start_code status systime taskid tdev tmout tsess tsession tsid u_procp umask upr uprocp usertime usrpri utime vm_data vm_exe vm_lock vm_stack xstat zoneid ~" -- "${cur}"))
                    return 0
                    ;;
                --sort)
                    COMPREPLY=($(compgen -W "pid tgid ppid pgid pgrp sid sess session tpgid lwp tid spid user uname euser uid_hack ruser suser svuser fuser fsuser uid euid ruid suid svuid fuid fsuid group egroup rgroup sgroup svgroup fgroup fsgroup supgid supgrp gid egid rgid sgid svgid fgid fsgid %cpu pcpu c util cuu cuc cp time cputime atime times cputimes bsdtime etime etimes start_time stime start bsdstart lstart ni nice pri opri intpri priority rtprio cls class policy sched pri_api pri_bar pri_baz pri_foo sgi_p psr cpuid lastcpu nlwp thcount %mem pmem vsz vsize rss rssize rsz sz size m_size drs m_drs dsiz trs m_trs trss tsiz maj_flt majflt pagein min_flt minflt pss uss lim stackp start_stack esp eip addr alarm timeout cpu jobc re sl m_dt m_share m_swap nwchan vm_lib addr_1 label context zone stat s state f flag flags wchan wname tty tt tname tty8 longtname tty4 pending sig sig_pend tsig blocked sigmask sig_block ignored sigignore sig_ignore caught sigcatch sig_catch args command cmd comm ucomm ucmd fname exe oom oomadj cgroupns ipcns mntns netns pidns userns utsns timens rbytes rchars rops wbytes wcbytes wchars wops cgroup cgname ag_id ag_nice luid numa sgi_rss slice unit uunit seat machine ouid lsession lxc _left _left2 _right _right2 _unlimited _unlimited2 acflag acflg argc bnd cmaj_flt cmin_flt cnswap ctid cursig cutime cwd emul end_code environ inblk inblock jid ktrace ktracep login logname luser m_lrs m_resident msgrcv msgsnd mwchan nivcsw nsignals nsigs nswap nvcsw osz oublk oublock p_ru paddr poip prmgrp prmid project projid pset psxpri resident rlink scnt scount share start_code status systime taskid tdev tmout tsess tsession tsid u_procp umask upr uprocp usertime usrpri utime vm_data vm_exe vm_lock vm_stack xstat zoneid ~" -- "${cur}"))
                    return 0
                    ;;
                --cols)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --columns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rows)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lines)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --help)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__serve)
            opts="-h --group-by --config --names --top --top-by --listen --max-connections --header-timeout --connection-lifetime --proc-root --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --group-by)
                    COMPREPLY=($(compgen -W "comm exe user cgroup" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                --names)
                    COMPREPLY=($(compgen -W "gopsi process-exporter" -- "${cur}"))
                    return 0
                    ;;
                --top)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --top-by)
                    COMPREPLY=($(compgen -W "cpu rss" -- "${cur}"))
                    return 0
                    ;;
                --listen)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-connections)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connection-lifetime)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        gopsi__subcmd__top)
            opts="-b -c -d -E -e -H -i -n -O -o -p -S -s -U -u -w -1 -h -V --json --batch-mode --cmdline-toggle --delay --scale-summary-mem --scale-task-mem --threads-show --idle-toggle --iterations --list-fields --sort-override --pid --accum-time-toggle --secure-mode --filter-any-user --filter-only-euser --width --single-cpu-toggle --help --version --proc-root"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --delay)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -d)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scale-summary-mem)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -E)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scale-task-mem)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -e)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --iterations)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sort-override)
                    COMPREPLY=($(compgen -W "PID PPID UID USER RUID RUSER SUID SUSER GID GROUP PGRP TTY TPGID SID PR NI nTH P %CPU TIME TIME+ %MEM VIRT SWAP RES CODE DATA SHR nMaj nMin nDRT S COMMAND WCHAN Flags CGROUPS SUPGIDS SUPGRPS TGID OOMa OOMs ENVIRON vMj vMn USED nsIPC nsMNT nsNET nsPID nsUSER nsUTS LXC RSan RSfd RSlk RSsh CGNAME NU LOGID EXE RSS PSS PSan PSfd PSsh USS ioR ioRop ioW ioWop AGID AGNI STARTED ELAPSED %CUU %CUC nsCGROUP nsTIME" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "PID PPID UID USER RUID RUSER SUID SUSER GID GROUP PGRP TTY TPGID SID PR NI nTH P %CPU TIME TIME+ %MEM VIRT SWAP RES CODE DATA SHR nMaj nMin nDRT S COMMAND WCHAN Flags CGROUPS SUPGIDS SUPGRPS TGID OOMa OOMs ENVIRON vMj vMn USED nsIPC nsMNT nsNET nsPID nsUSER nsUTS LXC RSan RSfd RSlk RSsh CGNAME NU LOGID EXE RSS PSS PSan PSfd PSsh USS ioR ioRop ioW ioWop AGID AGNI STARTED ELAPSED %CUU %CUC nsCGROUP nsTIME" -- "${cur}"))
                    return 0
                    ;;
                --pid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -p)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter-any-user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -U)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter-only-euser)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -u)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -w)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proc-root)
                    COMPREPLY=()
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o plusdirs
                    fi
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _gopsi -o nosort -o bashdefault -o default gopsi
else
    complete -F _gopsi -o bashdefault -o default gopsi
fi
