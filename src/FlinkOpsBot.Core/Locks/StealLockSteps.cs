using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Locks;

/// <summary>
/// <c>lock-held</c>: the explicit lock the steal run was created for still holds, unchanged (same holder, not renewed,
/// not expired). Fails when it was unlocked, ran out or changed hands: then there is nothing (or something else) to steal.
/// </summary>
internal sealed class LockHeldCheck : ICheck
{
    private const string Title = "The lock is still held";

    public string Id => "lock-held";

    public async Task<CheckResult> EvaluateAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var locks = context.Locks ?? throw new InvalidOperationException("lock-held needs the lock store on its CheckContext.");
        if (StealLock.Expected(run) is not { } expected) return CheckResult.Fail(Id, Title, "the run does not name the lock to steal");
        var current = await locks.GetExplicitAsync(run.Cluster, run.JobName, cancellationToken);
        if (current is null || current.IsExpiredAt(context.Now))
        {
            return CheckResult.Fail(Id, Title, $"{run.JobName} on {run.Cluster} is no longer locked (unlocked or expired); nothing to steal");
        }
        if (!current.IsSameLockAs(expected))
        {
            return CheckResult.Fail(Id, Title, $"the lock changed since the steal was requested: {run.JobName} is now {ExplicitLocks.Describe(current, context.Now)}");
        }
        return CheckResult.Pass(Id, Title, $"{run.JobName} on {run.Cluster} is {ExplicitLocks.Describe(current, context.Now)}");
    }
}

/// <summary>
/// <c>transfer-lock</c>: releases the explicit lock the run names, or (input <c>take</c>) replaces it with one held by
/// the requester, conditional on the stored lock being exactly the one the approvers saw. Idempotent: a resumed step
/// that finds the lock already released, or already the requester's, is done. Touches no cluster.
/// </summary>
internal sealed class TransferLockStep : IStep
{
    public string Kind => "transfer-lock";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var from = StealLock.Expected(run)?.Holder.Mention ?? "its holder";
        return StealLock.Takes(run)
            ? $"Take the lock on {run.JobName} from {from} for {run.Requester.Mention}"
            : $"Release {from}'s lock on {run.JobName}";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var locks = context.Locks ?? throw new InvalidOperationException("transfer-lock needs the lock store on its StepContext.");
        var expected = StealLock.Expected(run) ?? throw new InvalidOperationException($"Run {run.Id} names no lock to steal.");
        var takes = StealLock.Takes(run);
        var replacement = takes ? StealLock.Replacement(run, expected, context.Now) : null;
        var evidence = new Dictionary<string, string> { ["from"] = expected.Holder.Key, ["reason"] = expected.Reason };
        if (await locks.ReplaceExplicitAsync(expected, replacement, cancellationToken))
        {
            return Done(replacement, expected, context.Now, evidence);
        }

        // Not the lock the approvers saw any more: find out what happened (or whether a previous attempt of this step did it).
        var current = await locks.GetExplicitAsync(run.Cluster, run.JobName, cancellationToken);
        if (current is not null && !current.IsExpiredAt(context.Now))
        {
            if (takes && current.Holder.IsSamePersonAs(run.Requester)) return Done(current, expected, context.Now, evidence);
            return StepResult.Fail($"the lock changed since the steal was approved: {run.JobName} is now {ExplicitLocks.Describe(current, context.Now)}; nothing was changed",
                ("holder", current.Holder.Key));
        }
        if (!takes) return new StepResult.Skipped($"{expected.Holder.Mention}'s lock was already gone (unlocked or expired)");
        var holder = await locks.TryAcquireExplicitAsync(replacement!, context.Now, cancellationToken);
        return holder is null
            ? Done(replacement, expected, context.Now, evidence)
            : StepResult.Fail($"{run.JobName} was locked again meanwhile: {ExplicitLocks.Describe(holder, context.Now)}; nothing was changed", ("holder", holder.Holder.Key));
    }

    private static StepResult Done(ExplicitLock? now, ExplicitLock previous, DateTimeOffset at, Dictionary<string, string> evidence)
    {
        if (now is null) return new StepResult.Done($"{previous.Holder.Mention}'s lock on {previous.JobName} released", evidence);
        evidence["to"] = now.Holder.Key;
        evidence["expiresAt"] = now.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return new StepResult.Done($"{previous.JobName} is now {ExplicitLocks.Describe(now, at)}", evidence);
    }
}
