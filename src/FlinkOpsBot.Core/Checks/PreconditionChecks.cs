using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Checks;

/// <summary><c>job-running</c>: the job exists and is RUNNING.</summary>
internal sealed class JobRunningCheck : CheckBase
{
    public override string Id => "job-running";

    protected override string Title => "Job is RUNNING";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is not known to cluster {context.Cluster.Name}");
        var since = job.StatusTimestamps.GetValueOrDefault(job.Status.Value, job.StartTime);
        var evidence = $"{job.Name} ({jobId}) has been {job.Status} for {Durations.Format(context.Now - since)}";
        var basis = $"jobId={jobId}; status={job.Status}; since={since:O}";
        return (job.Status == JobStatus.Running ? Pass(evidence) : Fail(evidence)) with { Basis = basis };
    }
}

/// <summary><c>checkpoint-recent</c>: the latest completed checkpoint is younger than <c>max-intervals</c> (default 3) checkpoint intervals.</summary>
internal sealed class CheckpointRecentCheck : CheckBase
{
    public override string Id => "checkpoint-recent";

    protected override string Title => "Latest checkpoint is recent";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Unknown("no JobID is known for the job");
        var config = await context.CheckpointConfigAsync(jobId, cancellationToken);
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        if (config is null || stats is null) return Fail("checkpointing is not enabled for this job");
        var limit = config.Interval * IntParameter(spec, "max-intervals", 3);
        if (stats.LatestCompleted is not { CompletedAt: { } completedAt } latest)
        {
            return Fail($"no completed checkpoint yet; interval {Durations.Format(config.Interval)}");
        }
        var age = context.Now - completedAt;
        var evidence = $"checkpoint #{latest.Id} completed {Durations.Ago(context.Now, completedAt)}; interval {Durations.Format(config.Interval)}, limit {Durations.Format(limit)}";
        return (age <= limit ? Pass(evidence) : Fail(evidence)) with { Basis = $"interval={config.Interval}; limit={limit}" };
    }
}

/// <summary><c>no-failed-checkpoints</c>: none of the last <c>last</c> (default 5) finished checkpoint attempts failed.</summary>
internal sealed class NoFailedCheckpointsCheck : CheckBase
{
    public override string Id => "no-failed-checkpoints";

    protected override string Title => "No recent checkpoint failures";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Unknown("no JobID is known for the job");
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        if (stats is null) return Fail("checkpointing is not enabled for this job");
        var last = IntParameter(spec, "last", 5);
        var attempts = stats.History.Where(c => c.Status is "COMPLETED" or "FAILED").Take(last).ToList();
        var failed = attempts.Where(c => c.Status == "FAILED").ToList();
        // A failure older than the window still changes the basis: a newer checkpoint failed since the plan was shown.
        var basis = $"failedSinceStart={stats.Failed}; latestFailed={stats.LatestFailed?.Id.ToString(CultureInfo.InvariantCulture) ?? "none"}";
        if (failed.Count == 0)
        {
            return Pass($"last {attempts.Count} attempts completed; {stats.Failed} failed since the job started") with { Basis = basis };
        }
        var newest = failed[0];
        return Fail($"{failed.Count} of the last {attempts.Count} attempts failed; newest: #{newest.Id} {Ago(context.Now, newest.TriggeredAt)}: {newest.FailureMessage ?? "no reason given"}") with { Basis = basis };
    }
}

/// <summary><c>savepoint-dir-known</c>: a savepoint directory is known (input, cluster configuration, or the JobManager's configuration).</summary>
internal sealed class SavepointDirectoryKnownCheck : CheckBase
{
    public override string Id => "savepoint-dir-known";

    protected override string Title => "Savepoint directory is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        (string? dir, string source) = context.Run.Inputs.GetValueOrDefault("savepoint-dir") is { } given
            ? (given, "--savepoint-dir")
            : context.Cluster.SavepointDirectory is { } configured
                ? (configured, $"cluster {context.Cluster.Name} configuration")
                : (await context.Platform.GetDefaultSavepointDirectoryAsync(cancellationToken), "the JobManager's execution.checkpointing.savepoint-dir");
        if (string.IsNullOrWhiteSpace(dir))
        {
            return Fail("none given, none configured for the cluster, and the JobManager has no execution.checkpointing.savepoint-dir; pass --savepoint-dir");
        }
        context.Run.Vars[RunVars.SavepointDirectory] = dir;
        return Pass($"{dir} (from {source})") with { Basis = $"dir={dir}" };
    }
}

/// <summary><c>jar-exists</c>: the jar named by the <c>input</c> parameter (default <c>jar</c>) is on the cluster.</summary>
internal sealed class JarExistsCheck : CheckBase
{
    public override string Id => "jar-exists";

    protected override string Title => "New jar is on the cluster";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var input = spec.With.GetValueOrDefault("input") ?? "jar";
        if (context.Run.Inputs.GetValueOrDefault(input) is not { } wanted) return Fail($"--{input} was not given");
        var jar = await context.FindJarAsync(wanted, cancellationToken);
        if (jar is null && CmfJars.AcceptByForm(context.Cluster, wanted) is { } byForm)
        {
            context.Run.Vars[RunVars.TargetJarId] = wanted;
            return Pass(byForm) with { Basis = $"jarUri={wanted}" };
        }
        if (jar is null)
        {
            var jars = await context.JarsAsync(cancellationToken);
            return Fail($"no jar '{wanted}' on cluster {context.Cluster.Name}; uploaded: {(jars.Count == 0 ? "none" : string.Join(", ", jars.Select(j => j.Name)))}");
        }
        context.Run.Vars[RunVars.TargetJarId] = jar.Id;
        return Pass($"{jar.Name} (id {jar.Id}, uploaded {Ago(context.Now, jar.UploadedAt)})") with { Basis = $"jarId={jar.Id}" };
    }
}

/// <summary>
/// <c>rollback-target-known</c>: the artifact to roll back to is known: <c>--rollback-jar</c>, or the bot's own record
/// of what it deployed, provided that record is for the JobID running now.
/// </summary>
internal sealed class RollbackTargetKnownCheck : CheckBase
{
    public override string Id => "rollback-target-known";

    protected override string Title => "Rollback target is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (run.Inputs.GetValueOrDefault("rollback-jar") is { } explicitJar)
        {
            var jar = await context.FindJarAsync(explicitJar, cancellationToken);
            if (jar is null) return Fail($"--rollback-jar '{explicitJar}' is not on cluster {context.Cluster.Name}");
            run.Vars[RunVars.RollbackJarId] = jar.Id;
            return Pass($"{jar.Name} (from --rollback-jar)") with { Basis = $"jarId={jar.Id}" };
        }
        var record = await context.Ledger.GetCurrentAsync(run.Cluster, run.JobName, cancellationToken);
        if (record is null)
        {
            return Fail($"the bot has no record of deploying {run.JobName}; pass --rollback-jar with the jar the job runs now");
        }
        if (record.JobId != run.JobId)
        {
            return Fail($"the bot's record is for JobID {record.JobId} ({record.JarName}) but {run.JobId} runs now, so someone else deployed it; pass --rollback-jar");
        }
        var current = await context.FindJarAsync(record.JarId, cancellationToken);
        if (current is null) return Fail($"{record.JarName} (id {record.JarId}) is no longer on the cluster; upload it or pass --rollback-jar");
        run.Vars[RunVars.RollbackJarId] = current.Id;
        var how = record.RunId is { } by ? $"deployed by {by} {Ago(context.Now, record.At)}" : $"recorded {Ago(context.Now, record.At)}";
        return Pass($"{record.JarName}, the bot's record for JobID {record.JobId} ({how})") with { Basis = $"jarId={current.Id}; recordJobId={record.JobId}" };
    }
}

/// <summary>
/// <c>parallelism-fits</c>: the target parallelism (<c>--parallelism</c>, default the current one) is positive and
/// within the cluster's total slots (on a <c>cmf</c> cluster the job gets a Flink cluster of its own: see <see cref="CmfSlots"/>). Records the current and target parallelism for the procedure and rollback.
/// </summary>
internal sealed class ParallelismFitsCheck : CheckBase
{
    public override string Id => "parallelism-fits";

    protected override string Title => "Parallelism fits the cluster";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var job = run.JobId is null ? null : await context.JobAsync(run.JobId, cancellationToken);
        if (job is null) return Unknown("the job's current parallelism cannot be read");
        var current = job.Parallelism;
        var target = current;
        if (run.Inputs.GetValueOrDefault("parallelism") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out target) || target < 1)
            {
                return Fail($"--parallelism must be a positive whole number, not '{text}'");
            }
        }
        var overview = await context.OverviewAsync(cancellationToken);
        run.Vars[RunVars.PreviousParallelism] = current.ToString(CultureInfo.InvariantCulture);
        run.Vars[RunVars.TargetParallelism] = target.ToString(CultureInfo.InvariantCulture);
        var change = target == current ? $"{target} (unchanged)" : $"{current} → {target}";
        if (CmfSlots.OwnCluster(context.Cluster, target) is { } ownCluster)
        {
            return Pass($"parallelism {change}; {ownCluster}") with { Basis = $"current={current}; target={target}; cmf" };
        }
        var evidence = $"parallelism {change}; {overview.SlotsTotal} slots in the cluster, {overview.SlotsAvailable} free, {current} freed by the stop";
        var basis = $"current={current}; target={target}";
        if (target > overview.SlotsTotal) return Fail(evidence) with { Basis = basis };
        if (target > overview.SlotsAvailable + current) return Fail(evidence + "; not enough free slots") with { Basis = basis };
        return Pass(evidence) with { Basis = basis };
    }
}
