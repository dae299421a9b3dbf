using System.Text;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Locks;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Commands;

/// <summary>
/// Explicit locks: <c>/flink lock</c>, <c>unlock</c>, <c>locks</c>, and stealing (a <c>steal-lock</c> run through the gate).
/// A lock and a run of someone else never both proceed: <c>lock</c> writes its lock and then looks for a run in flight,
/// while a run start takes its run lock and then looks for an explicit lock, so of two concurrent ones at least one sees
/// the other and backs off.
/// </summary>
public sealed partial class CommandService
{
    /// <summary>What an Authorization rule's <c>Recipe</c> names to allow <c>/flink lock</c> (taking or renewing a lock).</summary>
    public const string LockAction = "lock";

    /// <summary>
    /// The policy's answer to taking a lock (<see cref="LockAction"/>) or asking to steal one (the <c>steal-lock</c> recipe,
    /// whose rule also names who approves the steal) on <paramref name="cluster"/>; null when allowed. Releasing your own
    /// lock needs no rule.
    /// </summary>
    private async Task<CommandReply?> LockRefusalAsync(string action, ClusterDefinition cluster, ChatCommand command, CancellationToken cancellationToken)
    {
        var decision = await _authorization.MayRequestAsync(command.Actor, cluster.Name, action, command.Channel, cancellationToken);
        if (decision.Allowed) return null;
        LogRequestRefused(_logger, action, cluster.Name, command.Actor.Key, decision.Reason!);
        await RecordRefusalAsync(command.Channel, command.Actor, $"{action} on {cluster.Name}", decision.Reason!, cancellationToken);
        return CommandReply.Refused(decision.Reason! + " Nothing was changed.");
    }

    private async Task<CommandReply> LockAsync(ParsedCommand.Lock parsed, ChatCommand command, CancellationToken cancellationToken)
    {
        if (ResolveCluster(parsed.Cluster, out var cluster) is { } noCluster) return noCluster;
        if (await LockRefusalAsync(LockAction, cluster, command, cancellationToken) is { } denied) return denied;
        var (jobName, refusal) = await LockTargetAsync(cluster, parsed.Job, verify: true, cancellationToken);
        if (refusal is not null) return refusal;
        var now = _time.GetUtcNow();
        var previous = await _locks.GetExplicitAsync(cluster.Name, jobName!, cancellationToken);
        var renewing = previous is not null && !previous.IsExpiredAt(now) && previous.Holder.IsSamePersonAs(command.Actor);
        var candidate = new ExplicitLock(cluster.Name, jobName!, command.Actor, parsed.Reason, now, now + parsed.Duration);
        if (await _locks.TryAcquireExplicitAsync(candidate, now, cancellationToken) is { } holder)
        {
            return CommandReply.Refused($"{jobName} on {cluster.Name} is {ExplicitLocks.Describe(holder, now)}. Only {holder.Holder.Mention} can unlock it; " +
                $"`/flink lock {jobName}{ClusterOption(cluster)} --steal --reason \"…\"` asks an approver to give it to you.");
        }

        // Written first, then look for another person's run in flight (StartAsync does the reverse).
        if (await RunInFlightAsync(cluster.Name, jobName!, cancellationToken) is { } inFlight && !inFlight.Requester.IsSamePersonAs(command.Actor))
        {
            await _locks.ReplaceExplicitAsync(candidate, renewing ? previous : null, cancellationToken);
            return CommandReply.Refused($"{jobName} has a change in flight: {inFlight.Id} ({inFlight.RecipeId}, started by {inFlight.Requester.Mention} " +
                $"{Durations.Ago(now, inFlight.CreatedAt)}, {StateInWords(inFlight)}). Nothing was locked. Lock it when that run ends, " +
                $"or ask an approver to reject it: `/flink runs {inFlight.Id}`.");
        }
        LogLocked(_logger, cluster.Name, jobName!, command.Actor.Key, candidate.ExpiresAt, parsed.Reason);
        return new CommandReply(
            $"{jobName} on {cluster.Name} is {(renewing ? "still " : "now ")}{ExplicitLocks.Describe(candidate, now)}. " +
            $"Changes by anyone else are refused until then; `/flink unlock {jobName}{ClusterOption(cluster)}` releases it.",
            ReplyVisibility.InChannel);
    }

    private async Task<CommandReply> UnlockAsync(ParsedCommand.Unlock parsed, ChatCommand command, CancellationToken cancellationToken)
    {
        if (ResolveCluster(parsed.Cluster, out var cluster) is { } noCluster) return noCluster;
        var (jobName, refusal) = await LockTargetAsync(cluster, parsed.Job, verify: false, cancellationToken);
        if (refusal is not null) return refusal;
        for (var attempt = 0; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var current = await CurrentLockAsync(cluster.Name, jobName!, now, cancellationToken);
            if (current is null) return CommandReply.Refused($"{jobName} on {cluster.Name} is not locked; nothing to unlock. `/flink locks` lists the locks.");
            if (!current.Holder.IsSamePersonAs(command.Actor))
            {
                return CommandReply.Refused($"{jobName} on {cluster.Name} is {ExplicitLocks.Describe(current, now)}. Only {current.Holder.Mention} can unlock it; " +
                    $"`/flink unlock {jobName}{ClusterOption(cluster)} --steal` asks an approver to release it.");
            }
            if (await _locks.ReplaceExplicitAsync(current, null, cancellationToken))
            {
                LogUnlocked(_logger, cluster.Name, jobName!, command.Actor.Key);
                return new CommandReply($"{jobName} on {cluster.Name} unlocked by {command.Actor.Mention} (held {Durations.Format(now - current.AcquiredAt)}).",
                    ReplyVisibility.InChannel);
            }
            if (attempt >= MaxConflictRetries) return CommandReply.Refused($"The lock on {jobName} kept changing while unlocking it; nothing was changed. Try again.");
        }
    }

    private async Task<CommandReply> LocksAsync(ParsedCommand.Locks parsed, CancellationToken cancellationToken)
    {
        ClusterDefinition? only = null;
        if (parsed.Cluster is not null && ResolveCluster(parsed.Cluster, out only) is { } noCluster) return noCluster;
        var now = _time.GetUtcNow();
        var lines = new List<(string Cluster, string Job, int Order, string Text)>();
        foreach (var held in await _locks.ListExplicitAsync(cancellationToken))
        {
            if (only is not null && held.Cluster != only.Name) continue;
            if (held.IsExpiredAt(now))
            {
                await _locks.ReplaceExplicitAsync(held, null, cancellationToken); // Expired: blocks nobody; clean it up.
                continue;
            }
            lines.Add((held.Cluster, held.JobName, 0, $"• {held.JobName} on {held.Cluster}: locked by {held.Holder.Mention} {Durations.Ago(now, held.AcquiredAt)}, " +
                $"until {held.ExpiresAt:HH:mm} UTC (in {Durations.Format(held.ExpiresAt - now)}): “{held.Reason}”"));
        }
        foreach (var runLock in await _locks.ListAsync(cancellationToken))
        {
            if (only is not null && runLock.Cluster != only.Name) continue;
            var run = (await _runs.GetAsync(runLock.RunId, cancellationToken))?.Value;
            if (run is null || run.State.IsTerminal()) continue; // Stale: the next run on the job takes it over.
            lines.Add((runLock.Cluster, runLock.JobName, 1, $"• {runLock.JobName} on {runLock.Cluster}: run {run.Id} ({run.RecipeId}, started by " +
                $"{runLock.Holder.Mention} {Durations.Ago(now, runLock.AcquiredAt)}, {StateInWords(run)}) holds the change lock until it ends"));
        }
        if (lines.Count == 0)
        {
            return CommandReply.Private($"No job is locked{(only is null ? "" : " on " + only.Name)}. `/flink lock <job> --reason \"…\"` takes a lock.");
        }
        var text = new StringBuilder($"Locks (times UTC, now {now:HH:mm}):\n");
        foreach (var line in lines.OrderBy(l => l.Cluster, StringComparer.Ordinal).ThenBy(l => l.Job, StringComparer.Ordinal).ThenBy(l => l.Order))
        {
            text.Append(line.Text).Append('\n');
        }
        return CommandReply.Private(text.ToString().TrimEnd());
    }

    private async Task<CommandReply> StealLockAsync(ParsedCommand.StealLock parsed, ChatCommand command, CancellationToken cancellationToken)
    {
        if (_signal is IEngineStatus { IsStopping: true }) return CommandReply.Refused("The bot is restarting; nothing was started. Try again in a minute.");
        if (ResolveCluster(parsed.Cluster, out var cluster) is { } noCluster) return noCluster;
        if (await LockRefusalAsync(StealLock.RecipeId, cluster, command, cancellationToken) is { } denied) return denied;
        var (jobName, refusal) = await LockTargetAsync(cluster, parsed.Job, verify: false, cancellationToken);
        if (refusal is not null) return refusal;
        var now = _time.GetUtcNow();
        var current = await CurrentLockAsync(cluster.Name, jobName!, now, cancellationToken);
        if (current is null) return CommandReply.Refused($"{jobName} on {cluster.Name} is not locked; nothing to steal.{(parsed.Take ? $" `/flink lock {jobName} --reason \"…\"` takes it." : "")}");
        if (current.Holder.IsSamePersonAs(command.Actor))
        {
            return CommandReply.Refused($"You hold the lock on {jobName}: `/flink unlock {jobName}{ClusterOption(cluster)}` releases it and `/flink lock {jobName} --reason \"…\" --for 2h` renews it, without an approval.");
        }
        var pending = (await _runs.ListActiveAsync(cancellationToken))
            .FirstOrDefault(r => r.RecipeId == StealLock.RecipeId && r.Cluster == cluster.Name && r.JobName == jobName);
        if (pending is not null)
        {
            return CommandReply.Refused($"{pending.Id} already asks to steal the lock on {jobName} (requested by {pending.Requester.Mention}); approve or reject it there: `/flink runs {pending.Id}`.");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.Take) inputs[StealLock.TakeInput] = "true";
        if (parsed.Reason is { } reason) inputs[StealLock.ReasonInput] = reason.Trim();
        if (parsed.For is { } duration) inputs[StealLock.ForInput] = duration;
        for (var attempt = 0; ; attempt++)
        {
            var run = new Run
            {
                Id = RunId.New(),
                RecipeId = StealLock.RecipeId,
                Cluster = cluster.Name,
                JobName = jobName!,
                Inputs = inputs,
                Vars = new Dictionary<string, string> { [StealLock.ExpectedLockVar] = CoreJson.Serialize(current) },
                Requester = command.Actor,
                Origin = command.Channel,
                CreatedAt = now,
                NextWakeAt = now,
            };
            var change = new RunChange(run, "", now);
            change.Record(command.Actor, TimelineEventKind.Requested,
                $"{command.Actor.Mention} requested `{CommandText(command.Text)}`: {(parsed.Take ? "take over" : "release")} the lock {current.Holder.Mention} holds " +
                $"({ExplicitLocks.Describe(current, now)})",
                new Dictionary<string, string>
                {
                    ["cluster"] = cluster.Name, ["holder"] = current.Holder.Key, ["reason"] = current.Reason,
                    ["acquiredAt"] = current.AcquiredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["expiresAt"] = current.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                });
            try
            {
                await _recorder.CreateAsync(change, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                continue; // Run id collision: draw another.
            }
            LogStarted(_logger, run.Id.Value, run.RecipeId, jobName!, cluster.Name, command.Actor.Key);
            _signal.Wake(run.Id);
            return new CommandReply(
                $"{run.Id} started: {(parsed.Take ? $"take the lock on {jobName} ({cluster.Name}) from {current.Holder.Mention} for {command.Actor.Mention}" : $"release {current.Holder.Mention}'s lock on {jobName} ({cluster.Name})")}, " +
                $"requested by {command.Actor.Mention}. An approver must approve it; the card follows. The lock holds until then.",
                ReplyVisibility.InChannel, run.Id);
        }
    }

    /// <summary>
    /// The refusal for a run of a mutating recipe when someone else holds an unexpired explicit lock on its job, or null
    /// (no lock, an expired one, which is cleaned up, or the requester's own). Called after the run lock is taken.
    /// </summary>
    private async Task<CommandReply?> ExplicitLockRefusalAsync(Run run, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var held = await CurrentLockAsync(run.Cluster, run.JobName, now, cancellationToken);
        if (held is null || held.Holder.IsSamePersonAs(run.Requester)) return null;
        var cluster = _clusters.Find(run.Cluster);
        var option = cluster is null ? "" : ClusterOption(cluster);
        return CommandReply.Refused($"{run.JobName} on {run.Cluster} is {ExplicitLocks.Describe(held, now)}. Nothing was started. " +
            $"Ask {held.Holder.Mention} to `/flink unlock {run.JobName}{option}`, wait until it expires, " +
            $"or `/flink unlock {run.JobName}{option} --steal` to have an approver release it.");
    }

    /// <summary>The job's unexpired explicit lock, or null; an expired one is deleted on the way (it blocks nobody).</summary>
    private async Task<ExplicitLock?> CurrentLockAsync(string cluster, string jobName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await _locks.GetExplicitAsync(cluster, jobName, cancellationToken);
        if (held is null || !held.IsExpiredAt(now)) return held;
        await _locks.ReplaceExplicitAsync(held, null, cancellationToken);
        return null;
    }

    /// <summary>The run holding the job's run lock, unless it ended (a stale lock the next run takes over).</summary>
    private async Task<Run?> RunInFlightAsync(string cluster, string jobName, CancellationToken cancellationToken)
    {
        if (await _locks.GetAsync(cluster, jobName, cancellationToken) is not { } runLock) return null;
        var run = (await _runs.GetAsync(runLock.RunId, cancellationToken))?.Value;
        return run is null || run.State.IsTerminal() ? null : run;
    }

    /// <summary>
    /// The job name a lock command means: a 32-hex JobID is resolved to its job's name (locks are by name). With
    /// <paramref name="verify"/>, a name must be one the cluster knows (any status, so a failed job can be locked too);
    /// when the cluster does not answer, the name is taken as typed, so a job can be locked during an outage.
    /// </summary>
    private async Task<(string? JobName, CommandReply? Refusal)> LockTargetAsync(ClusterDefinition cluster, string nameOrId, bool verify, CancellationToken cancellationToken)
    {
        if (!verify && !JobIds.IsHex32(nameOrId)) return (nameOrId, null);
        IReadOnlyList<JobSummary> jobs;
        try
        {
            jobs = await _clusters.PlatformFor(cluster).ListJobsAsync(cancellationToken);
        }
        catch (PlatformException e) when (!JobIds.IsHex32(nameOrId))
        {
            LogUnverified(_logger, cluster.Name, nameOrId, e.Message);
            return (nameOrId, null);
        }
        if (JobIds.IsHex32(nameOrId))
        {
            var byId = jobs.FirstOrDefault(j => j.JobId.Equals(nameOrId, StringComparison.OrdinalIgnoreCase));
            return byId is not null ? (byId.Name, null) : (null, NoSuchJob(cluster, $"no job with JobID {nameOrId}", jobs));
        }
        return jobs.Any(j => j.Name == nameOrId) ? (nameOrId, null) : (null, NoSuchJob(cluster, $"no job named {nameOrId}", jobs));
    }

    /// <summary>A status line about the job's explicit lock, or null when it has none.</summary>
    private async Task<string?> ExplicitLockLineAsync(string cluster, string jobName, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await CurrentLockAsync(cluster, jobName, now, cancellationToken) is { } held ? $"\n{Capitalize(ExplicitLocks.Describe(held, now))}" : null;
    }

    /// <summary><c> --cluster NAME</c> for a command line we suggest, when the command would not reach that cluster without it (it is not the default).</summary>
    private string ClusterOption(ClusterDefinition cluster) => _clusters.Default?.Name.Equals(cluster.Name, StringComparison.OrdinalIgnoreCase) == true ? "" : $" --cluster {cluster.Name}";

    private static string StateInWords(Run run) => Cards.RunCardBuilder.StateLabel(run.State).ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} on {Cluster} locked by {Actor} until {ExpiresAt}: {Reason}")]
    private static partial void LogLocked(ILogger logger, string cluster, string job, string actor, DateTimeOffset expiresAt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} on {Cluster} unlocked by {Actor}")]
    private static partial void LogUnlocked(ILogger logger, string cluster, string job, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Locking {Job} on {Cluster} without checking the name: the cluster did not answer ({Error})")]
    private static partial void LogUnverified(ILogger logger, string cluster, string job, string error);
}
