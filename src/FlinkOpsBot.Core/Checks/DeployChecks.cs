using System.Globalization;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>name-free</c>: no job of the run's name is running (or starting, restarting, failing) on the cluster, so the job
/// the recipe submits under that name is the only one. Flink REST <c>GET /jobs/overview</c>.
/// </summary>
internal sealed class NameFreeCheck : CheckBase
{
    public override string Id => "name-free";

    protected override string Title => "No job of that name is running";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var name = context.Run.JobName;
        var jobs = await context.Platform.ListJobsAsync(cancellationToken);
        var live = jobs.Where(j => j.Name == name && !j.Status.IsGloballyTerminal).ToList();
        if (live.Count > 0)
        {
            var job = live[0];
            return Fail($"{name} already runs on cluster {context.Cluster.Name} as JobID {job.JobId} ({job.Status}, up {Durations.Format(context.Now - job.StartTime)}); " +
                        "choose another name, or change the running job with /flink upgrade, redeploy or scale") with { Basis = $"taken={job.JobId}" };
        }
        var ended = jobs.Where(j => j.Name == name).OrderByDescending(j => j.EndTime).FirstOrDefault();
        var before = ended is { EndTime: { } at } ? $"; it last ran as JobID {ended.JobId}, {ended.Status} {Ago(context.Now, at)}" : "";
        return Pass($"no job named {name} is running on cluster {context.Cluster.Name}{before}") with { Basis = "free" };
    }
}

/// <summary>
/// <c>slots-free</c>: the cluster has free task slots for the new job's parallelism (<c>--parallelism</c>, else what an
/// earlier check resolved, else the jar's default, which is only checked against "at least one slot free"). Records
/// <see cref="RunVars.TargetParallelism"/>. Flink REST <c>GET /overview</c>.
/// </summary>
internal sealed class SlotsFreeCheck : CheckBase
{
    public override string Id => "slots-free";

    protected override string Title => "Free slots for the new job";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        int? target = null;
        if (run.Inputs.GetValueOrDefault("parallelism") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1)
            {
                return Fail($"--parallelism must be a positive whole number, not '{text}'");
            }
            target = p;
        }
        else if (int.TryParse(run.Vars.GetValueOrDefault(RunVars.TargetParallelism), NumberStyles.None, CultureInfo.InvariantCulture, out var resolved))
        {
            target = resolved;
        }
        if (CmfSlots.OwnCluster(context.Cluster, target) is { } ownCluster)
        {
            if (target is { } own) run.Vars[RunVars.TargetParallelism] = own.ToString(CultureInfo.InvariantCulture);
            return Pass(ownCluster) with { Basis = $"target={target?.ToString(CultureInfo.InvariantCulture) ?? "default"}; cmf" };
        }
        var overview = await context.OverviewAsync(cancellationToken);
        var slots = $"{overview.SlotsAvailable} of {overview.SlotsTotal} slots free on {overview.TaskManagers} TaskManager(s)";
        if (target is not { } n)
        {
            var evidence = $"parallelism: the jar's default; {slots}";
            return (overview.SlotsAvailable > 0 ? Pass(evidence) : Fail(evidence + "; pass --parallelism or free slots")) with { Basis = "target=default" };
        }
        run.Vars[RunVars.TargetParallelism] = n.ToString(CultureInfo.InvariantCulture);
        var basis = $"target={n}";
        if (n > overview.SlotsAvailable)
        {
            return Fail($"parallelism {n} needs {n} slots; {slots}. Lower --parallelism or add TaskManagers") with { Basis = basis };
        }
        return Pass($"parallelism {n}; {slots}") with { Basis = basis };
    }
}

/// <summary>
/// <c>job-active</c>: the run's job is known to the cluster and has not ended (RUNNING, RESTARTING, FAILING, …), so there
/// is something to cancel. Shows the way back (the newest savepoint or retained checkpoint) as the plan fact "Way back".
/// </summary>
internal sealed class JobActiveCheck : CheckBase
{
    public override string Id => "job-active";

    protected override string Title => "Job has not ended";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.Run.JobId is not { } jobId) return Fail("no JobID is known for the job");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is not known to cluster {context.Cluster.Name}");
        var since = job.StatusTimestamps.GetValueOrDefault(job.Status.Value, job.StartTime);
        var evidence = $"{job.Name} ({jobId}) has been {job.Status} for {Durations.Format(context.Now - since)}";
        if (job.Status.IsGloballyTerminal) return Fail(evidence + "; nothing to cancel") with { Basis = $"status={job.Status}" };
        var back = await RestorePoints.NewestAsync(context, job.Name, jobId, checkpoints: true, cancellationToken);
        PlanFacts.Show(context.Run, "Way back", back is null
            ? "no savepoint or retained checkpoint is known for this job: a cancel loses its state"
            : $"{back.Path} ({back.What}{(back.At is { } at ? $", completed {at:HH:mm:ss} UTC" : "")}): /flink resume {job.Name} --from {back.Path}");
        return Pass(evidence) with { Basis = $"jobId={jobId}; active" };
    }
}

/// <summary>
/// <c>restore-point-known</c>: resolves where the new job starts from, given by the input named in the <c>input</c>
/// parameter (default <c>from</c>): an explicit path (<c>s3://…</c>, <c>hdfs://…</c>, <c>file:/…</c>, <c>/…</c>), <c>last</c>
/// or <c>last-savepoint</c> (the newest completed savepoint: the platform's catalog, else the job's checkpoint
/// statistics), or <c>last-checkpoint</c> (the newest completed checkpoint with an external path, i.e. retained). With
/// <c>optional: "true"</c> and no input, the job starts without state. Records <see cref="RunVars.SavepointPath"/>, the flag
/// <c>from-savepoint</c> and the plan fact "Restore from".
/// </summary>
internal sealed class RestorePointKnownCheck : CheckBase
{
    public override string Id => "restore-point-known";

    protected override string Title => "Restore point is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var input = spec.With.GetValueOrDefault("input") ?? "from";
        if (run.Inputs.GetValueOrDefault(input) is not { } wanted)
        {
            if (spec.With.GetValueOrDefault("optional") == "true")
            {
                run.Vars.Remove(RunVars.SavepointPath);
                StepConditions.Set(run, StepConditions.FromSavepoint, false);
                PlanFacts.Set(run, "Restore from", "nothing: the job starts without state");
                return Pass($"no --{input}: the job starts without state") with { Basis = "restore=none" };
            }
            return Fail($"--{input} was not given; pass a savepoint path, last-savepoint or last-checkpoint");
        }

        RestorePoint? point;
        // A keyword is resolved once, when the gate first opens: the approver approves that restore point, and the
        // re-check before executing keeps it rather than moving on to a checkpoint completed since.
        var pinned = $"restore.{input}";
        if (!RestorePoints.IsPath(wanted) && run.Vars.GetValueOrDefault(pinned) is { } earlier && earlier.Split('\n') is [var pinnedPath, var pinnedWhat])
        {
            point = new RestorePoint(pinnedPath, pinnedWhat, null);
        }
        else if (RestorePoints.IsPath(wanted))
        {
            point = new RestorePoint(wanted, "given", null);
        }
        else if (wanted == "last-checkpoint" && spec.With.GetValueOrDefault("checkpoint-at") == "cancel" && run.JobId is { } running)
        {
            // Flink keeps only the newest checkpoints (state.checkpoints.num-retained, default 1) and discards older ones
            // as new ones complete, so the checkpoint to restore from is the one retained when the job is cancelled: the
            // plan names that rule, the card shows today's candidate, and pin-restore-point resolves it after the cancel.
            if (CmfRestorePoints.CheckpointAtCancelRefused(context.Cluster, input) is { } refused) return Fail(refused);
            var now = await RestorePoints.NewestAsync(context, run.JobName, running, checkpoints: true, cancellationToken, savepoints: false);
            if (now is null) return Fail($"JobID {running} has no retained checkpoint (a completed checkpoint with an external path); pass --{input} with a savepoint path");
            run.Vars.Remove(RunVars.SavepointPath);
            StepConditions.Set(run, StepConditions.FromSavepoint, true);
            PlanFacts.Set(run, "Restore from", $"the newest retained checkpoint of JobID {running} when it is cancelled");
            PlanFacts.Show(run, "Newest retained checkpoint", $"{now.Path} ({now.What}{(now.At is { } nowAt ? $", completed {nowAt:HH:mm:ss} UTC" : "")})");
            return Pass($"the checkpoint retained when JobID {running} is cancelled; now {now.Path}{(now.At is { } completed ? ", " + Ago(context.Now, completed) : "")}")
                with { Basis = $"restore=last-checkpoint-at-cancel; jobId={running}" };
        }
        else if (wanted is "last" or "last-savepoint" or "last-checkpoint")
        {
            point = await RestorePoints.NewestAsync(context, run.JobName, run.JobId, checkpoints: wanted == "last-checkpoint", cancellationToken, savepoints: wanted != "last-checkpoint");
            if (point is null)
            {
                var what = wanted == "last-checkpoint" ? "retained checkpoint (one with an external path)" : "completed savepoint";
                var instead = wanted == "last-checkpoint" ? "a savepoint path or last-savepoint" : "last-checkpoint (the newest retained checkpoint) or a path";
                return Fail($"no {what} of {run.JobName} is known (platform catalog, the bot's savepoint ledger, the job's checkpoint statistics); pass --{input} {instead}");
            }
        }
        else
        {
            return Fail($"--{input} '{wanted}' is neither a path (s3://…, hdfs://…, file:/…) nor last, last-savepoint or last-checkpoint");
        }

        run.Vars[RunVars.SavepointPath] = point.Path;
        if (!RestorePoints.IsPath(wanted)) run.Vars[pinned] = point.Path + "\n" + point.What;
        StepConditions.Set(run, StepConditions.FromSavepoint, true);
        PlanFacts.Set(run, "Restore from", $"{point.Path} ({point.What})");
        var age = point.At is { } at ? $", {Ago(context.Now, at)}" : "";
        var note = point.What == "given" ? "; the cluster checks that it exists when the job is submitted" : "";
        return Pass($"{point.Path} ({point.What}{age}){note}") with { Basis = $"restore={point.Path}" };
    }
}

/// <summary>
/// <c>deployed-jar-known</c>: the jar to run is known: <c>--jar</c>, else the jar the bot last deployed under the name (its
/// deployment ledger), which must still be on the cluster. Records <see cref="RunVars.TargetJarId"/> and, without
/// <c>--parallelism</c>, the recorded parallelism as <see cref="RunVars.TargetParallelism"/>.
/// </summary>
internal sealed class DeployedJarKnownCheck : CheckBase
{
    public override string Id => "deployed-jar-known";

    protected override string Title => "Jar to run is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (run.Inputs.GetValueOrDefault("jar") is { } given)
        {
            var jar = await context.FindJarAsync(given, cancellationToken);
            if (jar is null && CmfJars.AcceptByForm(context.Cluster, given) is { } byForm)
            {
                run.Vars[RunVars.TargetJarId] = given;
                return Pass(byForm) with { Basis = $"jarUri={given}" };
            }
            if (jar is null) return Fail($"no jar '{given}' on cluster {context.Cluster.Name}");
            run.Vars[RunVars.TargetJarId] = jar.Id;
            return Pass($"{jar.Name} (from --jar)") with { Basis = $"jarId={jar.Id}" };
        }
        var record = await context.Ledger.GetCurrentAsync(run.Cluster, run.JobName, cancellationToken);
        if (record is null) return Fail($"the bot has no record of deploying {run.JobName}; pass --jar");
        var current = await context.FindJarAsync(record.JarId, cancellationToken);
        if (current is null) return Fail($"{record.JarName} (id {record.JarId}), which the bot last deployed as {run.JobName}, is no longer on the cluster; upload it or pass --jar");
        run.Vars[RunVars.TargetJarId] = current.Id;
        if (!run.Inputs.ContainsKey("parallelism") && record.Parallelism > 0)
        {
            run.Vars[RunVars.TargetParallelism] = record.Parallelism.ToString(CultureInfo.InvariantCulture);
        }
        return Pass($"{record.JarName}, parallelism {record.Parallelism}, as the bot last deployed {run.JobName} (JobID {record.JobId}, {Ago(context.Now, record.At)})")
            with { Basis = $"jarId={current.Id}; recordJobId={record.JobId}" };
    }
}

/// <summary>A place a job can start from.</summary>
/// <param name="Path">The savepoint or retained checkpoint path.</param>
/// <param name="What">How it was found, e.g. "savepoint #42 of JobID …".</param>
/// <param name="At">When it completed, if known.</param>
internal sealed record RestorePoint(string Path, string What, DateTimeOffset? At);

/// <summary>Finds the newest savepoint or retained checkpoint of a job.</summary>
internal static class RestorePoints
{
    /// <summary>True for something that looks like a filesystem path or URI rather than a keyword.</summary>
    public static bool IsPath(string text) => text.Contains("://", StringComparison.Ordinal) || text.StartsWith('/') || text.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>
    /// The newest completed savepoint (with <paramref name="savepoints"/>) or retained checkpoint (with
    /// <paramref name="checkpoints"/>) of the job named <paramref name="jobName"/>: the platform's savepoint catalog
    /// first (CMF), the bot's savepoint ledger, then the checkpoint statistics of <paramref name="jobId"/> or, without one, of every job of that name
    /// the cluster still knows. Null when there is none.
    /// </summary>
    public static async Task<RestorePoint?> NewestAsync(CheckContext context, string jobName, string? jobId, bool checkpoints, CancellationToken cancellationToken,
        bool savepoints = true)
    {
        var candidates = new List<RestorePoint>();
        if (savepoints && await context.Platform.ListSavepointsAsync(jobName, cancellationToken) is { } catalog)
        {
            candidates.AddRange(catalog.Where(s => s.Path is not null && string.Equals(s.State, "COMPLETED", StringComparison.OrdinalIgnoreCase))
                .Select(s => new RestorePoint(s.Path!, $"savepoint {s.Name}", s.CreatedAt)));
        }
        if (savepoints && context.Savepoints is { } ledger)
        {
            var taken = await ledger.ListAsync(context.Run.Cluster, jobName, 20, cancellationToken);
            candidates.AddRange(taken.Where(s => s.Path is not null && s.DeletedAt is null)
                .Select(s => new RestorePoint(s.Path!, $"savepoint taken by {s.RunId?.ToString() ?? "the bot"} of JobID {s.JobId}", s.At)));
        }
        IReadOnlyList<string> jobIds = jobId is not null
            ? [jobId]
            : (await context.Platform.ListJobsAsync(cancellationToken)).Where(j => j.Name == jobName).Select(j => j.JobId).ToList();
        foreach (var id in jobIds)
        {
            var stats = await context.CheckpointsAsync(id, cancellationToken);
            if (stats is null) continue;
            candidates.AddRange(stats.History.Append(stats.LatestCompleted).OfType<CheckpointInfo>()
                .Where(c => c.ExternalPath is not null && string.Equals(c.Status, "COMPLETED", StringComparison.OrdinalIgnoreCase))
                .Where(c => c.IsSavepoint ? savepoints : checkpoints)
                .Select(c => new RestorePoint(c.ExternalPath!, $"{(c.IsSavepoint ? "savepoint" : "retained checkpoint")} #{c.Id} of JobID {id}", c.CompletedAt)));
        }
        // One savepoint may be found twice (the ledger and the statistics): the first source names it, the latest time counts.
        return candidates.GroupBy(c => c.Path, StringComparer.Ordinal)
            .Select(g => g.First() with { At = g.Max(c => c.At) })
            .OrderByDescending(c => c.At ?? DateTimeOffset.MinValue)
            .FirstOrDefault();
    }
}
