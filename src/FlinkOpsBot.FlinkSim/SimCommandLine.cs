using System.Globalization;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// The standalone server's arguments: <c>[--urls URL] [--admin] [--extra-jobs N] [--cmf-version V]</c>
/// (<c>--name value</c> or <c>--name=value</c>).
/// </summary>
/// <param name="Urls">Kestrel's <c>--urls</c>; default <c>http://127.0.0.1:8081</c>.</param>
/// <param name="Admin">Whether to serve the admin API under <c>/_sim/</c>.</param>
/// <param name="ExtraJobs">How many <c>chaos-job-NN</c> jobs to add to the demo (0 to 10,000).</param>
/// <param name="CmfVersion">The CMF version the CMF API answers as (<see cref="FlinkSimOptions.CmfVersion"/>); default 2.3.1.</param>
internal sealed record SimCommandLine(string Urls, bool Admin, int ExtraJobs, string CmfVersion = "2.3.1")
{
    public const string Usage = "usage: FlinkOpsBot.FlinkSim [--urls URL] [--admin] [--extra-jobs N] [--cmf-version 2.2.0|2.3.1]";
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
                case "--cmf-version":
                    var version = Value();
                    if (!Version.TryParse(version, out _))
                    {
                        error = $"--cmf-version needs a CMF version, e.g. --cmf-version 2.2.0 (got '{version}'); {Usage}";
                        return null;
                    }
                    parsed = parsed with { CmfVersion = version! };
                    break;
                default:
                    error = $"unknown argument '{args[i]}'; {Usage}";
                    return null;
            }
        }
        return parsed;
    }
}
