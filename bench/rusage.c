/*
 * rusage OUT CMD [ARG...]: runs CMD (its stdout and stderr as given) and writes
 * "WALL_S CPU_S MAXRSS_KIB EXIT" to the file OUT ("-": standard error).
 *
 * Why not Python's own fork and wait4: a child forked from Python starts as a copy of the
 * interpreter, and exec() adds the old address space's peak to the child's ru_maxrss, so every
 * command measured that way seemed to peak at Python's 11 MB at least. Forked from this small
 * program instead, the figure is the command's own.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rusage OUT CMD [ARG...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("rusage: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("rusage: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("rusage: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = argv[1][0] == '-' && !argv[1][1] ? stderr : fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    fprintf(out, "%.6f %.6f %ld %d\n", wall, cpu, ru.ru_maxrss, code);
    return fclose(out) == 0 ? 0 : 2;
}
