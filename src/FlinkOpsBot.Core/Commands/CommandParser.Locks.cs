using FlinkOpsBot.Core.Locks;

namespace FlinkOpsBot.Core.Commands;

public sealed partial class CommandParser
{
    private const string LockUsage = "/flink lock <job> --reason \"…\" [--for 1h] [--cluster NAME] [--steal]";
    private const string UnlockUsage = "/flink unlock <job> [--cluster NAME] [--steal [--reason \"…\"]]";
    private const string LocksUsage = "/flink locks [--cluster NAME]";
    private const string StealUsage = "/flink steal-lock <job> [--take [--for 1h]] [--reason \"…\"] [--cluster NAME]";

    /// <summary>Parses <c>lock</c>, <c>unlock</c>, <c>locks</c> and <c>steal-lock</c> (<paramref name="verb"/> in lower case).</summary>
    private static ParsedCommand ParseLocks(string verb, List<string> args)
    {
        var (usage, options, flags) = verb switch
        {
            "lock" => (LockUsage, new[] { "cluster", "reason", "for" }, new[] { "steal" }),
            "unlock" => (UnlockUsage, ["cluster", "reason"], ["steal"]),
            "locks" => (LocksUsage, ["cluster"], []),
            _ => (StealUsage, ["cluster", "reason", "for"], new[] { "take" }),
        };
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? job = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (verb == "locks") return new ParsedCommand.Invalid($"locks takes no job, got '{Shown(arg)}'; `/flink status {Shown(arg)}` shows one job's locks", usage);
                if (job is not null) return new ParsedCommand.Invalid($"{verb} takes one job, got '{Shown(job)}' and '{Shown(arg)}' (quote a reason with spaces)", usage);
                job = arg;
                continue;
            }
            var name = arg[2..];
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (values.ContainsKey(name)) return new ParsedCommand.Invalid($"--{Shown(name)} was given twice", usage);
            if (flags.Contains(name))
            {
                if (value is not null) return new ParsedCommand.Invalid($"--{name} is a switch; it takes no value", usage);
                values[name] = "true";
                continue;
            }
            if (!options.Contains(name))
            {
                return new ParsedCommand.Invalid($"unknown option --{Shown(name)} for {verb} (options: {string.Join(", ", options.Concat(flags).Select(o => "--" + o))})", usage);
            }
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return new ParsedCommand.Invalid($"--{name} needs a value", usage);
                value = args[++i];
            }
            if (string.IsNullOrWhiteSpace(value) && name != "reason") return new ParsedCommand.Invalid($"--{name} needs a value", usage);
            values[name] = value;
        }

        if (values.TryGetValue("reason", out var reason) && LockReasonProblem(reason) is { } reasonProblem) return new ParsedCommand.Invalid(reasonProblem, usage);
        var duration = ExplicitLocks.DefaultDuration;
        if (values.TryGetValue("for", out var forText) && ExplicitLocks.TryParseDuration(forText, out duration) is { } durationProblem)
        {
            return new ParsedCommand.Invalid(durationProblem.Replace(forText, Shown(forText), StringComparison.Ordinal), usage);
        }
        var cluster = values.GetValueOrDefault("cluster");
        if (verb == "locks") return new ParsedCommand.Locks(cluster);
        if (job is null) return new ParsedCommand.Invalid($"{verb} needs the job (its name or JobID)", usage);
        var steal = values.ContainsKey("steal");

        switch (verb)
        {
            case "lock" when steal:
                return reason is null
                    ? new ParsedCommand.Invalid("lock --steal needs --reason \"…\": the approvers and the current holder see it", usage)
                    : new ParsedCommand.StealLock(job, cluster, Take: true, reason, forText);
            case "lock":
                return reason is null
                    ? new ParsedCommand.Invalid("lock needs --reason \"…\": everyone the lock blocks sees why", usage)
                    : new ParsedCommand.Lock(job, cluster, reason.Trim(), duration);
            case "unlock" when steal:
                return new ParsedCommand.StealLock(job, cluster, Take: false, reason, null);
            case "unlock":
                return reason is null
                    ? new ParsedCommand.Unlock(job, cluster)
                    : new ParsedCommand.Invalid("--reason goes with --steal; the holder unlocks without one", usage);
            default:
                var take = values.ContainsKey("take");
                if (forText is not null && !take) return new ParsedCommand.Invalid("--for goes with --take (how long the taken lock lasts)", usage);
                return new ParsedCommand.StealLock(job, cluster, take, reason, forText);
        }
    }

    private static string? LockReasonProblem(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? "--reason needs a few words saying why"
        : reason.Length > ExplicitLocks.MaxReasonLength ? $"--reason may be at most {ExplicitLocks.MaxReasonLength} characters; link to the incident instead"
        : reason.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') ? "--reason must be one line"
        : null;
}
