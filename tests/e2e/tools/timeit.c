/* timeit OUTFILE CMD [ARGS...]: run CMD, write its wall time in microseconds
 * (CLOCK_MONOTONIC) to OUTFILE, and exit with CMD's exit status (128+sig if
 * killed, 127 if it could not be started). stdin/stdout/stderr pass through.
 * Used by the e2e guest /init to time the loaders (busybox date has no %N and
 * /proc/uptime only has 10 ms resolution).
 * Build: gcc -O2 -static -o timeit timeit.c */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) { fprintf(stderr, "usage: %s OUTFILE CMD [ARGS...]\n", argv[0]); return 2; }
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid < 0) { perror("fork"); return 2; }
	if (pid == 0) { execvp(argv[2], argv + 2); perror(argv[2]); _exit(127); }
	int st;
	while (waitpid(pid, &st, 0) < 0) ;
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long us = (b.tv_sec - a.tv_sec) * 1000000LL + (b.tv_nsec - a.tv_nsec) / 1000;
	FILE *f = fopen(argv[1], "w");
	if (f) { fprintf(f, "%lld\n", us); fclose(f); }
	if (WIFEXITED(st)) return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}
