using System.Text.Json.Nodes;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// What CMF and the Flink Kubernetes operator do with a FlinkApplication, on the simulated cluster: deploy its spec as
/// a job (from a savepoint when there is one), suspend it (stop with a savepoint, or cancel when stateless), start it
/// again, and upgrade it when its spec changes (stop with a savepoint, then deploy the new spec from it). Used under the
/// simulation's lock.
/// </summary>
internal static class CmfApplications
{
    /// <summary>
    /// The flinkConfiguration key that fixes the JobID of an application cluster's job (the key the Flink Kubernetes
    /// operator sets); a client that chooses the JobID beforehand can tell its own job from another after a lost answer.
    /// </summary>
    public const string JobIdKey = "$internal.pipeline.job-id";

    private const string UsrLib = "local:///opt/flink/usrlib/";

    // flinkConfiguration keys whose change alone does not redeploy (see Deployable).
    private static readonly string[] NextDeploymentKeys = ["state.savepoints.dir", "execution.checkpointing.savepoint-dir", JobIdKey];

    private static readonly string[] IgnoredJobFields =
        ["state", "upgradeMode", "allowNonRestoredState", "initialSavepointPath", "savepointTriggerNonce", "checkpointTriggerNonce"];

    /// <summary>
    /// <c>POST /environments/{env}/applications</c>: creates the application (deploying it unless its
    /// <c>spec.job.state</c> is <c>suspended</c>) or updates it and reconciles the change.
    /// </summary>
    public static CmfRefusal? Upsert(CmfState state, CmfEnvironment environment, JsonObject body, out CmfApplication application)
    {
        application = null!;
        var metadata = body["metadata"] as JsonObject;
        var name = CmfHttp.String(metadata, "name");
        if (CmfNames.Problem("FlinkApplication", name) is { } problem) return new CmfRefusal(422, problem);
        if (body["spec"] is not JsonObject spec) return new CmfRefusal(422, $"FlinkApplication '{name}' needs a spec (the FlinkDeployment spec: job.jarURI, job.parallelism, …).");
        if (CmfHttp.At(spec, "job") is not JsonObject) return new CmfRefusal(422, $"FlinkApplication '{name}' needs spec.job with at least jarURI.");

        var posted = (JsonObject)spec.DeepClone();
        var postedMetadata = CleanMetadata(metadata!);
        if (!environment.Applications.TryGetValue(name!, out var existing))
        {
            if (JobIdTaken(state, null, posted) is { } conflict) return conflict;
            application = new CmfApplication(environment, name!, state.Simulation.Ids.NewUuid(), state.Now)
            {
                Metadata = postedMetadata,
                Spec = posted,
            };
            environment.Applications.Add(name!, application);
            if (application.WantsRunning) Deploy(state, application, CmfHttp.String(posted, "job.initialSavepointPath"));
            return null;
        }

        application = existing;
        var changed = !JsonNode.DeepEquals(Deployable(existing.Spec), Deployable(posted));
        var wantsRunning = !string.Equals(CmfHttp.String(posted, "job.state"), "suspended", StringComparison.OrdinalIgnoreCase);
        // The same decision Reconcile makes: whether this post ends in a deployment.
        var redeploys = wantsRunning && (existing.Transition != CmfTransition.None || (IsRunning(existing)
            ? changed || existing.DeployFailed
            : existing.Job is null || changed || existing.DeployFailed || existing.Suspended));
        if (redeploys && JobIdTaken(state, existing, posted) is { } taken) return taken;
        existing.Spec = posted;
        existing.Metadata = postedMetadata;
        existing.Updated = state.Now;
        Reconcile(state, existing, changed);
        return null;
    }

    /// <summary><c>POST …/suspend</c>: the spec says <c>suspended</c>; the job is stopped with a savepoint (or cancelled).</summary>
    public static void Suspend(CmfState state, CmfApplication application)
    {
        SetState(application, "suspended");
        application.Updated = state.Now;
        Reconcile(state, application, changed: false);
    }

    /// <summary>
    /// <c>POST …/start[?startFromSavepointUid=]</c>: the spec says <c>running</c>; a suspended (or failed) application
    /// is deployed from the savepoint with that UID, else from <c>spec.job.initialSavepointPath</c>, else (upgrade mode
    /// savepoint or last-state) from its last savepoint. Starting an application that runs changes nothing.
    /// </summary>
    public static CmfRefusal? Start(CmfState state, CmfApplication application, string? savepointUid)
    {
        string? restore = null;
        if (savepointUid is not null)
        {
            if (state.SavepointByUid(application, savepointUid) is not { } savepoint)
            {
                return new CmfRefusal(404, $"Savepoint with uid '{savepointUid}' not found for FlinkApplication '{application.Name}' or among the detached savepoints.");
            }
            if (savepoint.State != "COMPLETED")
            {
                return new CmfRefusal(422, $"Savepoint '{savepoint.Name}' (uid {savepointUid}) is {savepoint.State}; only a COMPLETED savepoint can be started from.");
            }
            restore = savepoint.Path;
        }

        // A job that runs (e.g. after a suspend whose savepoint failed) or a stop under way is kept: the spec says
        // running again, and a stop under way then deploys it from its savepoint.
        if (application.Transition != CmfTransition.None || IsRunning(application))
        {
            SetState(application, "running");
            application.Updated = state.Now;
            return null;
        }
        if (JobIdTaken(state, application, application.Spec) is { } taken) return taken;
        SetState(application, "running");
        application.Updated = state.Now;
        Deploy(state, application, restore ?? StateToRestore(application));
        return null;
    }

    /// <summary><c>DELETE …/applications/{app}</c>: cancels the job, forgets the application and its (attached) savepoints.</summary>
    public static void Delete(CmfState state, CmfApplication application)
    {
        if (application.Job is { } job && !JobStatus.IsGloballyTerminal(job.Status)) job.Cancel();
        application.Transition = CmfTransition.None;
        application.Environment.Applications.Remove(application.Name);
    }

    /// <summary>The FlinkApplication resource as CMF returns it: the posted metadata and spec, and the status now.</summary>
    public static JsonObject Render(CmfState state, CmfApplication application)
    {
        var job = application.Job;
        var jobStatus = new JsonObject();
        if (job is not null)
        {
            jobStatus["jobName"] = job.Name;
            jobStatus["jobId"] = job.JobId;
            jobStatus["state"] = job.Status;
            jobStatus["startTime"] = CmfHttp.EpochMillis(job.StartTime);
            jobStatus["updateTime"] = CmfHttp.EpochMillis(job.LastModified);
        }
        var history = SavepointHistory(application);
        jobStatus["savepointInfo"] = new JsonObject
        {
            ["lastSavepoint"] = history.Count == 0 ? null : SavepointInfo(history[^1]),
            ["savepointHistory"] = new JsonArray(history.Select(entry => (JsonNode)SavepointInfo(entry)).ToArray()),
            ["lastPeriodicSavepointTimestamp"] = 0,
        };

        var status = new JsonObject
        {
            ["lifecycleState"] = LifecycleState(application),
            ["jobManagerDeploymentStatus"] = JobManagerDeploymentStatus(application),
            ["jobStatus"] = jobStatus,
            ["error"] = application.Error,
            ["clusterInfo"] = new JsonObject { ["flink-version"] = state.Simulation.Options.FlinkVersion },
            ["reconciliationStatus"] = new JsonObject
            {
                ["state"] = application.Transition == CmfTransition.None ? "DEPLOYED" : "UPGRADING",
                ["reconciliationTimestamp"] = application.Updated.ToUnixTimeMilliseconds(),
                ["lastReconciledSpec"] = application.DeployedSpec?.ToJsonString(),
            },
        };
        if (job is not null) status["taskManager"] = new JsonObject { ["replicas"] = Math.Max(1, job.Parallelism / 2) };

        var metadata = CmfHttp.Metadata(application.Metadata, application.Name, application.Uid, application.Created, application.Updated);
        return CmfHttp.Resource("FlinkApplication", metadata, application.Spec, status);
    }

    /// <summary>
    /// The operator's lifecycle state now: FAILED (deployment or job failed), UPGRADING (a stop or cancel is under
    /// way), SUSPENDED, CREATED (never deployed), DEPLOYED (job starting or restarting) or STABLE (job RUNNING).
    /// </summary>
    public static string LifecycleState(CmfApplication application)
    {
        if (application.DeployFailed) return "FAILED";
        if (application.Transition != CmfTransition.None) return "UPGRADING";
        var job = application.Job;
        if (!application.WantsRunning && (job is null || JobStatus.IsGloballyTerminal(job.Status))) return "SUSPENDED";
        return job?.Status switch
        {
            null => "CREATED",
            JobStatus.Running => "STABLE",
            JobStatus.Failed => "FAILED",
            _ => "DEPLOYED",
        };
    }

    /// <summary>
    /// Where the application's savepoints go: <c>execution.checkpointing.savepoint-dir</c> or its older name
    /// <c>state.savepoints.dir</c> in the effective Flink configuration (<see cref="Configuration"/>), else the
    /// cluster's default.
    /// </summary>
    public static string? SavepointDirectory(CmfState state, CmfApplication application) =>
        Configuration(application, "execution.checkpointing.savepoint-dir")
        ?? Configuration(application, "state.savepoints.dir")
        ?? state.Simulation.Options.SavepointDirectory;

    /// <summary>
    /// A key of the application's effective Flink configuration: the environment's
    /// <c>flinkApplicationDefaults.spec.flinkConfiguration</c>, which takes precedence in CMF, else the application's
    /// <c>spec.flinkConfiguration</c>; <c>null</c> when neither sets it (or sets it empty).
    /// </summary>
    public static string? Configuration(CmfApplication application, string key) =>
        (CmfHttp.MapValue(application.Environment.Extra, "flinkApplicationDefaults.spec.flinkConfiguration", key)
            ?? CmfHttp.MapValue(application.Spec, "flinkConfiguration", key)) is { Length: > 0 } value ? value : null;

    /// <summary>The first line of the root cause of <paramref name="error"/>: what a person needs to read.</summary>
    public static string RootCause(JavaException error)
    {
        while (error.Cause is not null) error = error.Cause;
        return error.FirstLine;
    }

    // MISSING once suspended (the operator deletes the cluster), DEPLOYING while the job starts, ERROR when the
    // deployment or the job failed, READY otherwise.
    private static string JobManagerDeploymentStatus(CmfApplication application)
    {
        if (application.DeployFailed) return "ERROR";
        return application.Job?.Status switch
        {
            null => "MISSING",
            var status when JobStatus.IsGloballyTerminal(status) && !application.WantsRunning => "MISSING",
            JobStatus.Initializing or JobStatus.Created => "DEPLOYING",
            JobStatus.Failed => "ERROR",
            _ => "READY",
        };
    }

    private static void Reconcile(CmfState state, CmfApplication application, bool changed)
    {
        // A stop under way finishes first; it then deploys whatever the spec says by then.
        if (application.Transition != CmfTransition.None) return;
        var job = application.Job;
        var running = job is not null && !JobStatus.IsGloballyTerminal(job.Status);
        if (!application.WantsRunning)
        {
            if (running)
            {
                StopJob(state, application, CmfTransition.Suspending);
            }
            else if (job is not null || application.DeployFailed)
            {
                // A failed (or never started) deployment is simply suspended; the next start restores the last savepoint.
                application.DeployFailed = false;
                application.Suspended = true;
            }
            return;
        }
        if (running)
        {
            if (changed || application.DeployFailed) StopJob(state, application, CmfTransition.Upgrading);
            return;
        }
        if (job is null || changed || application.DeployFailed || application.Suspended)
        {
            Deploy(state, application, StateToRestore(application));
        }
    }

    // Stop with a savepoint (upgrade modes savepoint and last-state) or cancel (stateless); the transition ends when
    // the job has ended, and then the spec of that moment is deployed (or the application stays suspended).
    private static void StopJob(CmfState state, CmfApplication application, CmfTransition transition)
    {
        var sim = state.Simulation;
        var job = application.Job!;
        if (application.UpgradeMode is "stateless")
        {
            job.Cancel();
            application.Transition = transition;
            sim.Scheduler.After(sim.Options.CancelDuration, () => Finish(state, application, job, location: null));
            return;
        }

        if (job.Status != JobStatus.Running)
        {
            // A savepoint needs a RUNNING job. The operator then falls back to last-state (its default
            // kubernetes.operator.job.upgrade.last-state-fallback.enabled): FlinkSim cancels the job and restores the
            // application's last savepoint, e.g. to roll back from a release that keeps failing.
            var fallback = LastSavepoint(application);
            application.Error = $"Job {job.JobId} was {job.Status}, so no savepoint could be taken: it was cancelled and the "
                + $"next deployment restores {fallback ?? "no state (the application has no savepoint)"} (last-state fallback).";
            job.Cancel();
            application.Transition = transition;
            sim.Scheduler.After(sim.Options.CancelDuration, () => Finish(state, application, job, fallback));
            return;
        }

        var directory = SavepointDirectory(state, application);
        var result = sim.TriggerSavepoint(job.JobId, new SavepointRequest(SavepointOperationKind.Stop, directory, "CANONICAL", CancelJob: false, TriggerId: null));
        if (result.Refusal is { } refusal)
        {
            application.Error = $"Stop with savepoint of job {job.JobId} refused: {RootCause(refusal.Error)}";
            return;
        }
        application.Transition = transition;
        WhenDone(state, application, job, result.Value!);
    }

    private static void WhenDone(CmfState state, CmfApplication application, Job job, SavepointOperation operation) =>
        state.Simulation.Scheduler.After(state.Simulation.Options.SavepointDuration, () =>
        {
            if (application.Job != job || application.Transition == CmfTransition.None) return;
            if (operation.CompletedAt is null)
            {
                WhenDone(state, application, job, operation);
                return;
            }
            if (operation.Failure is { } failure)
            {
                // The operator would retry; FlinkSim reports the failure and leaves the job running its old spec.
                application.Transition = CmfTransition.None;
                application.Error = $"Stop with savepoint of job {job.JobId} failed: {RootCause(failure)}";
                return;
            }
            RecordStopSavepoint(state, application, operation);
            Finish(state, application, job, operation.Location);
        });

    // The savepoint of a suspend or upgrade: in the operator's savepoint history, and a COMPLETED Savepoint resource
    // (status.source UPGRADE, as newer CMF records it) whose uid a client can start from.
    private static void RecordStopSavepoint(CmfState state, CmfApplication application, SavepointOperation operation)
    {
        var at = operation.CompletedAt!.Value;
        application.SavepointHistory.Add((operation.Location!, at, "UPGRADE"));
        var kind = application.WantsRunning ? "upgrade" : "suspend";
        var name = $"{application.Name}-{kind}-{state.Simulation.Ids.NewHex(6)}";
        if (name.Length > 253) name = $"{kind}-{state.Simulation.Ids.NewHex(12)}";
        var directory = operation.Location![..operation.Location!.LastIndexOf('/')];
        application.Savepoints[name] = new CmfSavepoint(name, state.Simulation.Ids.NewUuid(), at)
        {
            Spec = new JsonObject { ["path"] = directory, ["formatType"] = "CANONICAL", ["backoffLimit"] = -1 },
            CompletedPath = operation.Location,
            CompletedAt = at,
            Application = application,
            Source = "UPGRADE",
        };
    }

    private static void Finish(CmfState state, CmfApplication application, Job job, string? location)
    {
        if (application.Job != job || application.Transition == CmfTransition.None) return;
        application.Transition = CmfTransition.None;
        if (application.WantsRunning)
        {
            Deploy(state, application, ChangedInitialSavepoint(application) ?? location);
            return;
        }
        application.Suspended = true;
    }

    // Submits the spec's jar as the application's job, with the chosen JobID, parallelism and savepoint. A failure is
    // the application's status (FAILED, status.error), as a failed deployment is in CMF; nothing is half-started.
    private static void Deploy(CmfState state, CmfApplication application, string? restorePath)
    {
        var sim = state.Simulation;
        application.Suspended = false;
        application.DeployedSpec = (JsonObject)application.Spec.DeepClone();
        application.Error = null;
        application.DeployFailed = false;

        if (application.NextStartFailure is { } injected)
        {
            application.NextStartFailure = null;
            Fail(application, injected);
            return;
        }

        var jarUri = CmfHttp.String(application.Spec, "job.jarURI");
        var fileName = jarUri is null ? null : jarUri.StartsWith(UsrLib, StringComparison.Ordinal) ? jarUri[UsrLib.Length..] : jarUri[(jarUri.LastIndexOf('/') + 1)..];
        if (sim.Jars.LastOrDefault(jar => jar.FileName == fileName) is not { } jar)
        {
            var known = string.Join(", ", sim.Jars.Select(j => j.FileName).Distinct());
            Fail(application, $"spec.job.jarURI '{jarUri}' names no jar of the cluster; use local:///opt/flink/usrlib/<file> with one of: {known}.");
            return;
        }

        var jobId = CmfHttp.MapValue(application.Spec, "flinkConfiguration", JobIdKey);
        if (jobId is not null)
        {
            if (!SimIds.IsHex32(jobId))
            {
                Fail(application, $"flinkConfiguration '{JobIdKey}' must be a JobID of 32 hex characters (got '{jobId}').");
                return;
            }
            jobId = jobId.ToLowerInvariant();
            if (sim.JobById(jobId) is { } taken)
            {
                if (taken.CmfScope == application.Scope && !JobStatus.IsGloballyTerminal(taken.Status))
                {
                    application.Job = taken;
                    return;
                }
                Fail(application, $"org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job {jobId} has already been submitted; choose a new '{JobIdKey}'.");
                return;
            }
        }

        var args = CmfHttp.At(application.Spec, "job.args") is JsonArray list
            ? list.Select(arg => arg?.ToString() ?? "").ToList()
            : (IReadOnlyList<string>)[];
        var parallelism = CmfHttp.Int(application.Spec, "job.parallelism") ?? Simulation.DefaultParallelism;
        var allowNonRestored = CmfHttp.Bool(application.Spec, "job.allowNonRestoredState") ?? false;
        var result = sim.RunJar(jar.Id, new JobRunRequest(parallelism, args, jobId, restorePath, allowNonRestored, ClaimMode: null));
        if (result.Refusal is { } refusal)
        {
            Fail(application, RootCause(refusal.Error));
            return;
        }
        result.Value!.CmfScope = application.Scope;
        application.Job = result.Value;
    }

    private static bool IsRunning(CmfApplication application) =>
        application.Job is { } job && !JobStatus.IsGloballyTerminal(job.Status);

    // FlinkSim runs every application's jobs in one cluster, where a JobID is unique; CMF gives each application a
    // cluster of its own, where the operator could reuse one. So a deployment under a JobID that a job already has is
    // refused before anything is stopped, rather than after; the client chooses a new JobID for every deployment.
    private static CmfRefusal? JobIdTaken(CmfState state, CmfApplication? application, JsonObject spec)
    {
        if (CmfHttp.MapValue(spec, "flinkConfiguration", JobIdKey) is not { } jobId) return null;
        if (!SimIds.IsHex32(jobId)) return new CmfRefusal(422, $"flinkConfiguration '{JobIdKey}' must be a JobID of 32 hex characters (got '{jobId}').");
        if (state.Simulation.JobById(jobId.ToLowerInvariant()) is not { } taken) return null;
        var owner = taken.CmfScope is null ? "a job of the Flink cluster" : $"a job of application {taken.CmfScope}";
        var app = application is null ? "" : $" of FlinkApplication '{application.Name}'";
        return new CmfRefusal(
            422,
            $"flinkConfiguration '{JobIdKey}' {jobId}{app} is already the JobID of {owner} ({taken.Status}); set a new JobID for every deployment.");
    }

    private static void Fail(CmfApplication application, string error)
    {
        application.Error = error;
        application.DeployFailed = true;
    }

    // What a (re)deployment without an explicit savepoint uid restores: spec.job.initialSavepointPath on the first
    // deployment, or when it changed since the last deployment (the operator would also want a new
    // savepointRedeployNonce; FlinkSim takes the new path as meant); otherwise the last savepoint (upgrade modes
    // savepoint and last-state).
    private static string? StateToRestore(CmfApplication application) =>
        application.Job is null
            ? CmfHttp.String(application.Spec, "job.initialSavepointPath")
            : ChangedInitialSavepoint(application) ?? LastSavepoint(application);

    // spec.job.initialSavepointPath when it differs from the one last deployed: a client asking for that savepoint.
    private static string? ChangedInitialSavepoint(CmfApplication application) =>
        CmfHttp.String(application.Spec, "job.initialSavepointPath") is { } initial
        && initial != CmfHttp.String(application.DeployedSpec, "job.initialSavepointPath") ? initial : null;

    private static string? LastSavepoint(CmfApplication application) =>
        application.UpgradeMode is "savepoint" or "last-state" && SavepointHistory(application) is { Count: > 0 } history ? history[^1].Location : null;

    // The savepoints of the application's stops and of its completed Savepoint resources, oldest first.
    private static List<(string Location, DateTimeOffset At, string TriggerType)> SavepointHistory(CmfApplication application) =>
        application.SavepointHistory
            .Concat(application.Savepoints.Values
                .Where(sp => sp.State == "COMPLETED" && sp.Operation is not null)
                .Select(sp => (sp.Path!, sp.Operation!.CompletedAt!.Value, "MANUAL")))
            .OrderBy(entry => entry.Item2)
            .ToList();

    private static JsonObject SavepointInfo((string Location, DateTimeOffset At, string TriggerType) entry) => new()
    {
        ["timeStamp"] = entry.At.ToUnixTimeMilliseconds(),
        ["location"] = entry.Location,
        ["triggerType"] = entry.TriggerType,
        ["formatType"] = "CANONICAL",
        ["triggerNonce"] = null,
    };

    // The spec as far as a change of it redeploys the job: the operator ignores job.state (handled on its own),
    // upgradeMode, allowNonRestoredState, initialSavepointPath and the trigger nonces (@SpecDiff(IGNORE) in its JobSpec).
    // FlinkSim also lets the savepoint directory and the fixed JobID change without a redeploy (the operator would
    // upgrade): they only say where the next savepoint goes (e.g. a suspend's that follows at once) and which JobID the
    // next deployment gets.
    private static JsonObject Deployable(JsonObject spec)
    {
        var copy = (JsonObject)spec.DeepClone();
        if (copy["job"] is JsonObject job)
        {
            foreach (var key in IgnoredJobFields) job.Remove(key);
        }
        if (copy["flinkConfiguration"] is JsonObject configuration)
        {
            foreach (var key in NextDeploymentKeys) configuration.Remove(key);
        }
        return copy;
    }

    private static void SetState(CmfApplication application, string value)
    {
        var spec = application.Spec;
        CmfHttp.Object(spec, "job")["state"] = value;
    }

    private static JsonObject CleanMetadata(JsonObject metadata)
    {
        var copy = (JsonObject)metadata.DeepClone();
        foreach (var key in new[] { "name", "uid", "creationTimestamp", "updateTimestamp" }) copy.Remove(key);
        return copy;
    }
}
