using System.Globalization;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// The standalone server's arguments: <c>[--urls URL] [--admin] [--extra-jobs N] [--scheduler default|adaptive]</c>
/// (<c>--name value</c> or <c>--name=value</c>).
/// </summary>
/// <param name="Urls">Kestrel's <c>--urls</c>; default <c>http://127.0.0.1:8081</c>.</param>
/// <param name="Admin">Whether to serve the admin API under <c>/_sim/</c>.</param>
/// <param name="ExtraJobs">How many <c>chaos-job-NN</c> jobs to add to the demo (0 to 10,000).</param>
/// <param name="Scheduler">The cluster's <c>jobmanager.scheduler</c> (<see cref="FlinkSimOptions.Scheduler"/>); default <c>default</c>.</param>
internal sealed record SimCommandLine(string Urls, bool Admin, int ExtraJobs, string Scheduler = "default")
{
    public const string Usage = "usage: FlinkOpsBot.FlinkSim [--urls URL] [--admin] [--extra-jobs N] [--scheduler default|adaptive]";
    private const int MaxExtraJobs = 10_000;

    /// <summary>Parses <paramref name="args"/>; on bad input, <paramref name="error"/> is one line saying what and how to fix it.</summary>
    public static SimCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        var parsed = new SimCommandLine("http://127.0.0.1:8081", Admin: false, ExtraJobs: 0);
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            string? Value()
            {
                if (inline is not null) return inline;
                return i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            switch (name)
            {
                case "--admin" when inline is null:
                    parsed = parsed with { Admin = true };
                    break;
                case "--urls":
                    if (Value() is not { Length: > 0 } urls)
                    {
                        error = $"--urls needs a URL, e.g. --urls http://127.0.0.1:8081; {Usage}";
                        return null;
                    }
                    parsed = parsed with { Urls = urls };
                    break;
                case "--extra-jobs":
                    var text = Value();
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxExtraJobs)
                    {
                        error = $"--extra-jobs needs a number of jobs from 0 to {MaxExtraJobs}, e.g. --extra-jobs 20 (got '{text}'); {Usage}";
                        return null;
                    }
                    parsed = parsed with { ExtraJobs = count };
                    break;
                case "--scheduler":
                    var scheduler = Value();
                    if (scheduler is not ("default" or "adaptive"))
                    {
                        error = $"--scheduler needs default or adaptive (Flink's jobmanager.scheduler; adaptive rescales in place), got '{scheduler}'; {Usage}";
                        return null;
                    }
                    parsed = parsed with { Scheduler = scheduler };
                    break;
                default:
                    error = $"unknown argument '{args[i]}'; {Usage}";
                    return null;
            }
        }
        return parsed;
    }
}
