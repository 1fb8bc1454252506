import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the processes named in {@code -Dbench.pids=name:pid,...} (several pids may share a
 * name; they are summed), from /proc/PID/stat (utime + stime), for the delivery-bench feeders.
 */
final class BenchCpu {
    private static final long TICKS_PER_S = 100; // USER_HZ on Linux

    static Map<String, Long> ticks() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String entry : System.getProperty("bench.pids", "").split(",")) {
            if (entry.isBlank()) continue;
            String[] nv = entry.split(":");
            String stat = Files.readString(Path.of("/proc", nv[1], "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out.merge(nv[0], Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum); // fields 14 and 15
        }
        return out;
    }

    /** One {@code cpu_ms_NAME=} line per name: what it spent between the two samples. */
    static void print(Map<String, Long> before, Map<String, Long> after) {
        after.forEach((name, t) -> System.out.printf("cpu_ms_%s=%d%n", name, (t - before.getOrDefault(name, 0L)) * 1000 / TICKS_PER_S));
    }
}
