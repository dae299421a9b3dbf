using System.Globalization;

namespace FlinkOpsBot.Chaos;

/// <summary>The harness's options; every one has a default that finishes in a few minutes.</summary>
internal sealed record ChaosOptions
{
    public const string Usage = """
        Usage: FlinkOpsBot.Chaos [options]   (bench/chaos/run.sh builds in Release and runs it)
          --seed N              seed of the random kill moments and jar choices (default 42)
          --kills N             SIGKILLs of the host (default 4)
          --runs N              upgrades to start in all (default 36)
          --jobs N              extra FlinkSim jobs chaos-job-01..NN, when FlinkSim supports --extra-jobs (default 12)
          --fault-rate X        share of FlinkSim REST calls answered 503, 0 to 1 (default 0.05; needs --admin)
          --latency-ms N        added latency of FlinkSim REST calls (default 50; needs --admin)
          --lease SECONDS       Engine__LeaseDuration given to the host (default 5)
          --min-uptime SECONDS  shortest time the host lives before a kill, after it recovered (default 5)
          --max-uptime SECONDS  longest (default 20)
          --settle SECONDS      how long to wait at the end for every run to end (default 120)
          --configuration NAME  the build of the host and FlinkSim to run (default Release)
          --root DIR            the repository root (default: found from the current directory)
          --report FILE         also write the Markdown report to FILE
          --keep                keep the work directory (logs of every process, Azurite's files)
        Exit code: 0 no run lost and no duplicated mutating call, 1 otherwise, 2 bad options or broken set-up.
        """;

    public int Seed { get; init; } = 42;
    public int Kills { get; init; } = 4;
    public int Runs { get; init; } = 36;
    public int Jobs { get; init; } = 12;
    public double FaultRate { get; init; } = 0.05;
    public int LatencyMs { get; init; } = 50;
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MinUptime { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxUptime { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(120);
    public string Configuration { get; init; } = "Release";
    public string? Root { get; init; }
    public string? Report { get; init; }
    public bool Keep { get; init; }

    public static bool TryParse(string[] args, out ChaosOptions options, out string problem)
    {
        options = new ChaosOptions();
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            bool Int(int min, out int value) => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min;
            bool Seconds(out TimeSpan value)
            {
                var ok = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0;
                value = ok ? TimeSpan.FromSeconds(s) : default;
                return ok;
            }
            switch (name)
            {
                case "--seed" when Int(0, out var v): options = options with { Seed = v }; break;
                case "--kills" when Int(0, out var v): options = options with { Kills = v }; break;
                case "--runs" when Int(1, out var v): options = options with { Runs = v }; break;
                case "--jobs" when Int(1, out var v): options = options with { Jobs = v }; break;
                case "--latency-ms" when Int(0, out var v): options = options with { LatencyMs = v }; break;
                case "--fault-rate" when double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1:
                    options = options with { FaultRate = r };
                    break;
                case "--lease" when Seconds(out var t): options = options with { Lease = t }; break;
                case "--min-uptime" when Seconds(out var t): options = options with { MinUptime = t }; break;
                case "--max-uptime" when Seconds(out var t): options = options with { MaxUptime = t }; break;
                case "--settle" when Seconds(out var t): options = options with { Settle = t }; break;
                case "--configuration" when Next() is { } c: options = options with { Configuration = c }; break;
                case "--root" when Next() is { } d: options = options with { Root = d }; break;
                case "--report" when Next() is { } f: options = options with { Report = f }; break;
                case "--keep": options = options with { Keep = true }; break;
                case "--seed" or "--kills" or "--runs" or "--jobs" or "--latency-ms":
                    problem = $"{name} needs a whole number ({(name is "--runs" or "--jobs" ? "at least 1" : "0 or more")}).";
                    return false;
                case "--fault-rate":
                    problem = "--fault-rate needs a number from 0 to 1, such as 0.05.";
                    return false;
                case "--lease" or "--min-uptime" or "--max-uptime" or "--settle":
                    problem = $"{name} needs a positive number of seconds.";
                    return false;
                case "--configuration" or "--root" or "--report":
                    problem = $"{name} needs a value.";
                    return false;
                default:
                    problem = $"Unknown option {name}.";
                    return false;
            }
        }
        if (options.MinUptime > options.MaxUptime)
        {
            problem = "--min-uptime must not be larger than --max-uptime.";
            return false;
        }
        return true;
    }
}
