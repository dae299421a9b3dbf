using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Rest;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>
/// <see cref="IFlinkPlatform"/> and <see cref="ISqlPlatform"/> over Confluent Manager for Apache Flink (CMF REST
/// <c>/cmf/api/v1</c>, versions 2.0–2.3) for ONE environment. A "job" is a FlinkApplication: its JobID is
/// <c>status.jobStatus.jobId</c>, its name the application's <c>metadata.name</c>. Job-level reads (checkpoints,
/// exceptions, vertex load, restarts, job configuration) go to the application's JobManager through CMF's
/// <c>flink-web-ui</c> proxy path with a <see cref="FlinkRestPlatform"/> composed over it.
/// </summary>
/// <remarks>
/// Applications that have no JobID yet (created suspended, never run) are not listed as jobs: nothing can be done to a job
/// that does not exist, and a made-up JobID would leak into runs. Stop with savepoint is a suspend with
/// <c>upgradeMode: savepoint</c>, its trigger id kept as the application annotation <see cref="StopTriggerAnnotation"/>;
/// cancel is a suspend with <c>upgradeMode: stateless</c>; a jar run upserts the application's spec (suspended) and starts
/// it with <c>startFromSavepointUid</c>. Applications that Confluent for Kubernetes manages (annotation
/// <see cref="CfkManagedByAnnotation"/>) are refused for every change, with status 412, before any call.
/// </remarks>
internal sealed partial class CmfPlatform : IFlinkPlatform, ISqlPlatform
{
    /// <summary>The application annotation that records the trigger id of the bot's stop-with-savepoint.</summary>
    internal const string StopTriggerAnnotation = "flinkopsbot.io/stop-trigger";

    /// <summary>
    /// The application annotation that records the application's last savepoint before that stop (empty for none), to tell the
    /// stop's savepoint from an older one without comparing CMF's clock with the bot's.
    /// </summary>
    internal const string PreviousSavepointAnnotation = "flinkopsbot.io/stop-previous-savepoint";

    /// <summary>
    /// The annotation Confluent for Kubernetes (CFK) stamps on the CMF resources it owns. CFK reconciles such a resource back to
    /// its custom resource, so the bot refuses to change it (CMF docs: do not edit CFK-managed resources through the API).
    /// </summary>
    internal const string CfkManagedByAnnotation = "cmf.platform.confluent.io/managed-by";

    /// <summary>The Flink configuration key that fixes a job's JobID (Flink's <c>PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID</c>).</summary>
    internal const string FixedJobIdKey = "$internal.pipeline.job-id";

    /// <summary>Where a jar given by file name alone is looked for in the application image (the Flink image's user-library directory).</summary>
    internal const string DefaultJarDirectory = "local:///opt/flink/usrlib/";

    private static readonly string[] SavepointDirectoryKeys = ["execution.checkpointing.savepoint-dir", "state.savepoints.dir"];

    private readonly CmfClient _cmf;
    private readonly string _environment;
    private readonly Func<string, HttpClient> _proxyClient;
    private readonly TimeSpan _jarRunTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger<CmfPlatform> _logger;
    private readonly ILogger<FlinkRestPlatform> _proxyLogger;

    /// <param name="cmf">The wire client of the cluster's CMF.</param>
    /// <param name="environment">The CMF environment.</param>
    /// <param name="proxyClient">An HttpClient (with the cluster's credentials and resilience) whose base address is the given absolute URI.</param>
    /// <param name="jarRunTimeout">Passed to the proxied Flink REST client.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Loggers.</param>
    public CmfPlatform(CmfClient cmf, string environment, Func<string, HttpClient> proxyClient, TimeSpan jarRunTimeout, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _cmf = cmf;
        _environment = environment;
        _proxyClient = proxyClient;
        _jarRunTimeout = jarRunTimeout;
        _time = time;
        _logger = loggerFactory.CreateLogger<CmfPlatform>();
        _proxyLogger = loggerFactory.CreateLogger<FlinkRestPlatform>();
    }

    private string Env => "environments/" + Escape(_environment);

    private string App(string name) => $"{Env}/applications/{Escape(name)}";

    // ---------------------------------------------------------------- reads

    /// <summary>
    /// CMF <c>GET /system-information</c> (2.2+; "CMF ≤ 2.1" on 404) and the environment's applications: TaskManagers are the
    /// applications' <c>status.taskManager.replicas</c>; slots are replicas × <c>taskmanager.numberOfTaskSlots</c> where both are
    /// reported, else each running application's parallelism (every application has its own Flink cluster sized to its
    /// parallelism, so CMF knows no shared pool of free slots: <c>SlotsAvailable</c> is what the reported slots leave over).
    /// </summary>
    public async Task<ClusterOverview> GetOverviewAsync(CancellationToken cancellationToken)
    {
        var version = await GetPlatformVersionAsync(cancellationToken);
        var apps = await ApplicationsAsync(cancellationToken);
        int taskManagers = 0, slots = 0, used = 0;
        string? flinkVersion = null;
        foreach (var app in apps)
        {
            flinkVersion ??= CmfJson.Str(app, "status.clusterInfo.flink-version");
            var running = CmfJson.Str(app, "status.jobStatus.state") == JobStatus.Running.Value;
            var parallelism = CmfJson.Int(app, "spec.job.parallelism") ?? 1;
            var replicas = CmfJson.Int(app, "status.taskManager.replicas");
            var perTaskManager = int.TryParse(FlinkConfiguration(app, "taskmanager.numberOfTaskSlots"),
                NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
            taskManagers += replicas ?? 0;
            slots += replicas is { } r && perTaskManager is { } p ? r * p : running ? parallelism : 0;
            if (running) used += parallelism;
        }
        var label = version is null ? "CMF ≤ 2.1" : $"CMF {version}";
        return new ClusterOverview(flinkVersion is null ? label : $"{flinkVersion} ({label})", taskManagers, slots, Math.Max(0, slots - used));
    }

    /// <summary>Every application of the environment that has a Flink job (CMF <c>GET /environments/{env}/applications</c>, all pages).</summary>
    public async Task<IReadOnlyList<JobSummary>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var apps = await ApplicationsAsync(cancellationToken);
        return [.. apps.Select(ToSummary).OfType<JobSummary>()];
    }

    /// <summary>
    /// The application whose <c>status.jobStatus.jobId</c> is <paramref name="jobId"/>; vertices from the JobManager
    /// (<c>GET v1/jobs/:jobid</c> through the proxy) while it runs, else one vertex with <c>spec.job.parallelism</c>, whose id is the JobID.
    /// </summary>
    public async Task<JobDetails?> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await ApplicationByJobIdAsync(jobId, cancellationToken) is not { } app) return null;
        var name = NameOf(app);
        if (IsActive(app))
        {
            try
            {
                if (await Proxy(name).GetJobAsync(jobId, cancellationToken) is { } live) return live with { Name = name };
            }
            catch (PlatformException e)
            {
                CmfLog.ProxyReadFailed(_logger, _cmf.ClusterName, name, e.Message);
            }
        }
        return ToDetails(app);
    }

    /// <summary>Through the application's <c>flink-web-ui</c> proxy: Flink REST <c>GET /jobs/:jobid/checkpoints</c>; null for an unknown JobID.</summary>
    public async Task<CheckpointStats?> GetCheckpointStatsAsync(string jobId, CancellationToken cancellationToken) =>
        await ProxyFor(jobId, cancellationToken) is { } proxy ? await proxy.GetCheckpointStatsAsync(jobId, cancellationToken) : null;

    /// <summary>Through the proxy: Flink REST <c>GET /jobs/:jobid/checkpoints/config</c>; null for an unknown JobID.</summary>
    public async Task<CheckpointConfig?> GetCheckpointConfigAsync(string jobId, CancellationToken cancellationToken) =>
        await ProxyFor(jobId, cancellationToken) is { } proxy ? await proxy.GetCheckpointConfigAsync(jobId, cancellationToken) : null;

    /// <summary>Through the proxy: Flink REST <c>GET /jobs/:jobid/exceptions</c>; throws with status 404 for an unknown JobID.</summary>
    public async Task<IReadOnlyList<JobException>> GetExceptionsAsync(string jobId, int max, CancellationToken cancellationToken) =>
        await (await RequiredProxyFor(jobId, cancellationToken)).GetExceptionsAsync(jobId, max, cancellationToken);

    /// <summary>Through the proxy: Flink REST vertex backpressure and busy time.</summary>
    public async Task<IReadOnlyList<VertexLoad>> GetVertexLoadAsync(string jobId, CancellationToken cancellationToken) =>
        await (await RequiredProxyFor(jobId, cancellationToken)).GetVertexLoadAsync(jobId, cancellationToken);

    /// <summary>Through the proxy: Flink REST <c>numRestarts</c>.</summary>
    public async Task<long?> GetRestartCountAsync(string jobId, CancellationToken cancellationToken) =>
        await ProxyFor(jobId, cancellationToken) is { } proxy ? await proxy.GetRestartCountAsync(jobId, cancellationToken) : null;

    /// <summary>Through the proxy: Flink REST <c>GET /jobs/:jobid/config</c>; null for an unknown JobID.</summary>
    public async Task<JobConfiguration?> GetJobConfigurationAsync(string jobId, CancellationToken cancellationToken) =>
        await ProxyFor(jobId, cancellationToken) is { } proxy ? await proxy.GetJobConfigurationAsync(jobId, cancellationToken) : null;

    /// <summary>The environment's application defaults (<c>flinkApplicationDefaults.spec.flinkConfiguration</c>), which take precedence over application settings in CMF.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetClusterConfigurationAsync(CancellationToken cancellationToken)
    {
        var env = await _cmf.GetAsync(Env, cancellationToken);
        return CmfJson.At(env, "flinkApplicationDefaults.spec.flinkConfiguration") is JsonObject config
            // Flink's keys contain dots (jobmanager.scheduler), so read each value directly rather than by dotted path.
            ? config.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// The savepoint directory (<c>execution.checkpointing.savepoint-dir</c> or <c>state.savepoints.dir</c>) of the environment's
    /// application defaults; else the one every application that sets one agrees on; else null.
    /// </summary>
    public async Task<string?> GetDefaultSavepointDirectoryAsync(CancellationToken cancellationToken)
    {
        var env = await _cmf.GetAsync(Env, cancellationToken);
        if (SavepointDirectoryOf(CmfJson.At(env, "flinkApplicationDefaults")) is { } fromEnvironment) return fromEnvironment;
        var dirs = (await ApplicationsAsync(cancellationToken)).Select(SavepointDirectoryOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return dirs.Count == 1 ? dirs[0] : null;
    }

    /// <summary>
    /// CMF has no jar listing before the 2.4 Artifacts API: the distinct <c>spec.job.jarURI</c>s the environment's applications
    /// reference, id = the URI, name = its file name, uploaded = the application's creation time. A jar check on CMF can
    /// therefore only verify that a URI is well-formed, not that the image holds it.
    /// </summary>
    public async Task<IReadOnlyList<JarInfo>> ListJarsAsync(CancellationToken cancellationToken)
    {
        var apps = await ApplicationsAsync(cancellationToken);
        return [.. apps
            .Where(a => CmfJson.Str(a, "spec.job.jarURI") is not null)
            .GroupBy(a => CmfJson.Str(a, "spec.job.jarURI")!, StringComparer.Ordinal)
            .Select(g => new JarInfo(g.Key, JarFileName(g.Key),
                g.Select(a => CmfJson.Time(a, "metadata.creationTimestamp")).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max()))];
    }

    /// <summary>The application's Savepoint resources, newest first (CMF 2.1+ <c>GET …/applications/{app}/savepoints</c>); empty for an unknown application.</summary>
    public async Task<IReadOnlyList<SavepointEntry>?> ListSavepointsAsync(string jobName, CancellationToken cancellationToken)
    {
        var savepoints = await _cmf.ListAsync($"{App(jobName)}/savepoints", cancellationToken);
        return [.. savepoints
            .Select(sp => new SavepointEntry(
                CmfJson.Str(sp, "metadata.name") ?? "",
                CmfJson.Str(sp, "metadata.uid"),
                jobName,
                CmfJson.Str(sp, "status.path"),
                CmfJson.Str(sp, "status.state") ?? "UNKNOWN",
                CmfJson.Time(sp, "metadata.creationTimestamp") ?? CmfJson.Time(sp, "status.triggerTimestamp"),
                CmfJson.Str(sp, "status.source") ?? CmfJson.Str(sp, "spec.source") ?? CmfJson.Str(sp, "metadata.labels.source") ?? "unknown"))
            .OrderByDescending(sp => sp.CreatedAt ?? DateTimeOffset.MinValue)];
    }

    /// <summary>CMF 2.1+ <c>DELETE …/applications/{app}/savepoints/{name}</c>; a 404 means it is already gone.</summary>
    public async Task DeleteSavepointAsync(string jobName, string savepointName, CancellationToken cancellationToken)
    {
        await _cmf.SendAsync(HttpMethod.Delete, $"{App(jobName)}/savepoints/{Escape(savepointName)}", null, cancellationToken, notFoundIsValue: true, retrySafe: true);
        CmfLog.SavepointDeleted(_logger, _cmf.ClusterName, jobName, savepointName);
    }

    // ---------------------------------------------------------------- savepoints and stops

    /// <summary>
    /// Stop with savepoint as CMF does it: one upsert of the application that sets <c>spec.job.upgradeMode: savepoint</c> and
    /// <c>spec.job.state: suspended</c> (and the savepoint directory, when given) and records <paramref name="triggerId"/> and the
    /// location of the application's last savepoint before the stop as annotations, then <c>POST …/suspend</c> (a no-op when the
    /// upsert already suspended it). Repeating it with the same trigger id is harmless: the upsert is skipped when the annotation
    /// is there already, and suspending a suspended application changes nothing.
    /// </summary>
    public async Task StopWithSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken)
    {
        var app = await ApplicationByJobIdAsync(jobId, cancellationToken) ?? throw NoApplication(jobId);
        RefuseIfManagedByCfk(app);
        var name = NameOf(app);
        if (Annotation(app, StopTriggerAnnotation) != triggerId)
        {
            var body = Resource(app);
            var job = CmfJson.Obj(body, "spec.job");
            job["upgradeMode"] = "savepoint";
            job["state"] = "suspended";
            if (targetDirectory is not null) CmfJson.Obj(body, "spec.flinkConfiguration")["state.savepoints.dir"] = targetDirectory;
            var annotations = CmfJson.Obj(body, "metadata.annotations");
            annotations[StopTriggerAnnotation] = triggerId;
            annotations[PreviousSavepointAnnotation] = LastSavepointPath(app) ?? "";
            await _cmf.SendAsync(HttpMethod.Post, $"{Env}/applications", body, cancellationToken);
        }
        await _cmf.SendAsync(HttpMethod.Post, $"{App(name)}/suspend", null, cancellationToken, retrySafe: true);
        CmfLog.Suspended(_logger, _cmf.ClusterName, name, jobId, "savepoint", triggerId);
    }

    /// <summary>
    /// CMF 2.1+ <c>POST …/applications/{app}/savepoints</c> with the Savepoint named <c>sp-&lt;first 16 of the trigger id&gt;</c>;
    /// a 409 means an earlier attempt created it, which makes the call safe to repeat.
    /// </summary>
    public async Task TriggerSavepointAsync(string jobId, string triggerId, string? targetDirectory, CancellationToken cancellationToken)
    {
        var app = await ApplicationByJobIdAsync(jobId, cancellationToken) ?? throw NoApplication(jobId);
        var spec = new JsonObject { ["formatType"] = "CANONICAL" };
        if (targetDirectory is not null) spec["path"] = targetDirectory;
        var body = new JsonObject
        {
            ["apiVersion"] = "cmf.confluent.io/v1",
            ["kind"] = "Savepoint",
            ["metadata"] = new JsonObject { ["name"] = SavepointName(triggerId) },
            ["spec"] = spec,
        };
        await _cmf.SendAsync(HttpMethod.Post, $"{App(NameOf(app))}/savepoints", body, cancellationToken, retrySafe: true, accepted: HttpStatusCode.Conflict);
        CmfLog.SavepointTriggered(_logger, _cmf.ClusterName, NameOf(app), SavepointName(triggerId));
    }

    /// <summary>
    /// The state of the bot's stop (the application carries <see cref="StopTriggerAnnotation"/> = <paramref name="triggerId"/>):
    /// suspended with a last savepoint other than the one before the stop → Completed with its location; <c>status.error</c>, a
    /// FAILED or CANCELED job, or suspended without a new savepoint → Failed; otherwise InProgress. Else of the Savepoint resource <c>sp-&lt;16&gt;</c> (<c>status.state</c> COMPLETED / FAILED /
    /// ABANDONED / other). Unknown when neither exists.
    /// </summary>
    public async Task<SavepointOperation> GetSavepointOperationAsync(string jobId, string triggerId, CancellationToken cancellationToken)
    {
        if (await ApplicationByJobIdAsync(jobId, cancellationToken) is not { } app) return new(SavepointOperationStatus.Unknown);
        if (Annotation(app, StopTriggerAnnotation) == triggerId) return StopOperation(app);

        var savepoint = await _cmf.GetAsync($"{App(NameOf(app))}/savepoints/{SavepointName(triggerId)}", cancellationToken);
        if (savepoint is null) return new(SavepointOperationStatus.Unknown);
        return CmfJson.Str(savepoint, "status.state")?.ToUpperInvariant() switch
        {
            "COMPLETED" when CmfJson.Str(savepoint, "status.path") is { } path => new(SavepointOperationStatus.Completed, Location: path),
            "COMPLETED" => new(SavepointOperationStatus.Failed, Failure: "CMF reports the savepoint COMPLETED without a path"),
            "FAILED" or "ABANDONED" => new(SavepointOperationStatus.Failed,
                Failure: FirstLine(CmfJson.Str(savepoint, "status.error") ?? $"the savepoint is {CmfJson.Str(savepoint, "status.state")}")),
            _ => new(SavepointOperationStatus.InProgress),
        };
    }

    /// <summary>
    /// Cancel as CMF does it: <c>spec.job.upgradeMode: stateless</c> (no savepoint is taken) and <c>state: suspended</c> in one upsert, then
    /// <c>POST …/suspend</c>. Succeeds when the job already ended or is suspended; throws with status 404 for an unknown JobID.
    /// </summary>
    public async Task CancelJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var app = await ApplicationByJobIdAsync(jobId, cancellationToken) ?? throw NoApplication(jobId);
        RefuseIfManagedByCfk(app);
        var name = NameOf(app);
        if (!IsActive(app) && CmfJson.Str(app, "spec.job.state") == "suspended") return;
        if (CmfJson.Str(app, "spec.job.upgradeMode") != "stateless" || CmfJson.Str(app, "spec.job.state") != "suspended")
        {
            var body = Resource(app);
            var job = CmfJson.Obj(body, "spec.job");
            job["upgradeMode"] = "stateless";
            job["state"] = "suspended";
            await _cmf.SendAsync(HttpMethod.Post, $"{Env}/applications", body, cancellationToken);
        }
        await _cmf.SendAsync(HttpMethod.Post, $"{App(name)}/suspend", null, cancellationToken, retrySafe: true);
        CmfLog.Suspended(_logger, _cmf.ClusterName, name, jobId, "stateless", null);
    }

    /// <summary>
    /// Runs a jar as the application <see cref="JarRunRequest.JobName"/> (created when it does not exist: a deploy): upserts
    /// the spec with <c>job.jarURI</c> (a URI as given; a bare file name is first matched against the URIs the environment's
    /// applications use, else taken from <see cref="DefaultJarDirectory"/>), parallelism, <c>allowNonRestoredState</c>, args,
    /// <c>state: suspended</c>, <c>upgradeMode</c> savepoint (stateless without a savepoint, so nothing is restored) and <c>flinkConfiguration["$internal.pipeline.job-id"]</c> = the request's JobID, then
    /// <c>POST …/start?startFromSavepointUid=</c> the uid of the Savepoint whose path is the request's savepoint (else
    /// <c>job.initialSavepointPath</c> carries the path, with a new <c>savepointRedeployNonce</c>). Without a name, the
    /// application is the one whose last savepoint is the request's. Returns the request's JobID. Never retried.
    /// </summary>
    public async Task<string> RunJarAsync(string jarId, JarRunRequest request, CancellationToken cancellationToken)
    {
        var apps = await ApplicationsAsync(cancellationToken);
        var byPath = request.SavepointPath is null ? null : apps.FirstOrDefault(a => LastSavepointPath(a) == request.SavepointPath);
        var name = request.JobName ?? (byPath is null ? null : NameOf(byPath)) ?? throw new CmfApiException(
            "CMF needs the application's name to run a jar: the request names none and no application's last savepoint is " + (request.SavepointPath ?? "(none)") + ".", 400);
        var app = apps.FirstOrDefault(a => NameOf(a) == name);
        if (app is not null) RefuseIfManagedByCfk(app);
        var body = app is null ? NewApplication(name) : Resource(app);
        var job = CmfJson.Obj(body, "spec.job");
        job["jarURI"] = JarUri(jarId, apps);
        if (request.Parallelism is { } parallelism) job["parallelism"] = parallelism;
        job["allowNonRestoredState"] = request.AllowNonRestoredState;
        if (request.ProgramArgs is { } args) job["args"] = new JsonArray([.. args.Select(a => (JsonNode?)JsonValue.Create(a))]);
        job["state"] = "suspended";
        // Without a savepoint the job starts without state: upgrade mode savepoint would resume from the application's last one.
        job["upgradeMode"] = request.SavepointPath is null ? "stateless" : "savepoint";
        CmfJson.Obj(body, "spec.flinkConfiguration")[FixedJobIdKey] = request.JobId;
        var annotations = CmfJson.Obj(body, "metadata.annotations");
        annotations.Remove(StopTriggerAnnotation);
        annotations.Remove(PreviousSavepointAnnotation);

        string? uid = null;
        if (request.SavepointPath is { } path)
        {
            uid = await SavepointUidAsync(name, path, cancellationToken);
            if (uid is null)
            {
                job["initialSavepointPath"] = path;
                job["savepointRedeployNonce"] = (CmfJson.Long(job, "savepointRedeployNonce") ?? 0) + 1;
            }
        }
        else
        {
            job.Remove("initialSavepointPath");
        }
        await _cmf.SendAsync(HttpMethod.Post, $"{Env}/applications", body, cancellationToken);
        var start = $"{App(name)}/start" + (uid is null ? "" : "?startFromSavepointUid=" + Escape(uid));
        await _cmf.SendAsync(HttpMethod.Post, start, null, cancellationToken);
        CmfLog.Started(_logger, _cmf.ClusterName, name, request.JobId, CmfJson.Str(job, "jarURI") ?? jarId, uid ?? request.SavepointPath ?? "no savepoint");
        return request.JobId;
    }

    // ---------------------------------------------------------------- helpers

    private Task<IReadOnlyList<JsonObject>> ApplicationsAsync(CancellationToken cancellationToken) => _cmf.ListAsync($"{Env}/applications", cancellationToken);

    private async Task<JsonObject?> ApplicationByJobIdAsync(string jobId, CancellationToken cancellationToken) =>
        (await ApplicationsAsync(cancellationToken)).FirstOrDefault(a => string.Equals(CmfJson.Str(a, "status.jobStatus.jobId"), jobId, StringComparison.OrdinalIgnoreCase));

    /// <summary>A Flink REST client whose base address is the application's <c>flink-web-ui</c> proxy path.</summary>
    private IFlinkPlatform Proxy(string application) =>
        new FlinkRestPlatform(_proxyClient(_cmf.UriOf($"{App(application)}/flink-web-ui/").ToString()), $"{_cmf.ClusterName}/{application}", _jarRunTimeout, _proxyLogger);

    private async Task<IFlinkPlatform?> ProxyFor(string jobId, CancellationToken cancellationToken) =>
        await ApplicationByJobIdAsync(jobId, cancellationToken) is { } app ? Proxy(NameOf(app)) : null;

    private async Task<IFlinkPlatform> RequiredProxyFor(string jobId, CancellationToken cancellationToken) =>
        await ProxyFor(jobId, cancellationToken) ?? throw NoApplication(jobId);

    /// <summary>Status 412, raised before any call: the application belongs to CFK (<see cref="CfkManagedByAnnotation"/>).</summary>
    private static void RefuseIfManagedByCfk(JsonObject app)
    {
        if (Annotation(app, CfkManagedByAnnotation) is { } owner)
        {
            throw new CmfApiException(
                $"Application {NameOf(app)} is managed by Confluent for Kubernetes ({CfkManagedByAnnotation}: {owner}); change its FlinkApplication custom resource instead, " +
                "or CFK reconciles the bot's change back.", 412);
        }
    }

    private CmfApiException NoApplication(string jobId) =>
        new($"No application in CMF environment {_environment} runs JobID {jobId}.", 404);

    private async Task<string?> SavepointUidAsync(string application, string path, CancellationToken cancellationToken)
    {
        var savepoints = await _cmf.ListAsync($"{App(application)}/savepoints", cancellationToken);
        var match = savepoints.FirstOrDefault(sp => CmfJson.Str(sp, "status.path") == path && CmfJson.Str(sp, "metadata.uid") is not null);
        if (match is not null) return CmfJson.Str(match, "metadata.uid");
        var detached = await _cmf.ListAsync("detached-savepoints", cancellationToken);
        return detached.Where(sp => (CmfJson.Str(sp, "status.path") ?? CmfJson.Str(sp, "spec.path")) == path)
            .Select(sp => CmfJson.Str(sp, "metadata.uid")).FirstOrDefault(uid => uid is not null);
    }

    private static SavepointOperation StopOperation(JsonObject app)
    {
        var state = CmfJson.Str(app, "status.jobStatus.state");
        var suspended = CmfJson.Str(app, "status.lifecycleState") == "SUSPENDED" || state is "FINISHED" or "SUSPENDED";
        var previous = Annotation(app, PreviousSavepointAnnotation) ?? "";
        if (suspended && LastSavepointPath(app) is { Length: > 0 } location && location != previous)
        {
            return new(SavepointOperationStatus.Completed, Location: location);
        }
        if (CmfJson.Str(app, "status.error") is { Length: > 0 } error) return new(SavepointOperationStatus.Failed, Failure: FirstLine(error));
        if (state == JobStatus.Failed.Value || state == JobStatus.Canceled.Value)
        {
            return new(SavepointOperationStatus.Failed, Failure: $"the job is {state} and CMF reports no savepoint taken by the stop");
        }
        if (suspended) return new(SavepointOperationStatus.Failed, Failure: "the application is suspended but CMF reports no savepoint taken by the stop");
        return new(SavepointOperationStatus.InProgress);
    }

    /// <summary>An annotation of the resource (annotation keys hold dots, so they are not read by dotted path).</summary>
    private static string? Annotation(JsonObject resource, string key) =>
        CmfJson.At(resource, "metadata.annotations") is JsonObject annotations && annotations[key] is JsonValue value ? value.ToString() : null;

    private static string? LastSavepointPath(JsonObject app) =>
        CmfJson.Str(app, "status.jobStatus.savepointInfo.lastSavepoint.location");

    /// <summary>True while the application's job may be running (not suspended, not globally terminal).</summary>
    private static bool IsActive(JsonObject app) =>
        CmfJson.Str(app, "status.lifecycleState") != "SUSPENDED"
        && CmfJson.Str(app, "status.jobStatus.state") is { } state
        && !new JobStatus(state).IsGloballyTerminal && state != JobStatus.Suspended.Value;

    private static string NameOf(JsonObject app) => CmfJson.Str(app, "metadata.name") ?? "";

    private static JobSummary? ToSummary(JsonObject app)
    {
        if (CmfJson.Str(app, "status.jobStatus.jobId") is not { Length: > 0 } jobId) return null;
        var status = new JobStatus(CmfJson.Str(app, "status.jobStatus.state") ?? "CREATED");
        var start = CmfJson.Time(app, "status.jobStatus.startTime") ?? CmfJson.Time(app, "metadata.creationTimestamp") ?? DateTimeOffset.UnixEpoch;
        var end = status.IsGloballyTerminal ? CmfJson.Time(app, "status.jobStatus.updateTime") : null;
        return new JobSummary(jobId, NameOf(app), status, start, end);
    }

    private static JobDetails? ToDetails(JsonObject app)
    {
        if (ToSummary(app) is not { } summary) return null;
        var parallelism = CmfJson.Int(app, "spec.job.parallelism") ?? 1;
        var since = CmfJson.Time(app, "status.jobStatus.updateTime") ?? summary.StartTime;
        return new JobDetails(summary.JobId, summary.Name, summary.Status, summary.StartTime, summary.EndTime,
            [new JobVertex(summary.JobId, summary.Name, parallelism, Math.Max(parallelism, 128))],
            new Dictionary<string, DateTimeOffset> { [summary.Status.Value] = since });
    }

    /// <summary>The resource to POST back: apiVersion, kind, metadata and spec of what was read (status is CMF's to write).</summary>
    private static JsonObject Resource(JsonObject app)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = app["apiVersion"]?.DeepClone() ?? "cmf.confluent.io/v1",
            ["kind"] = app["kind"]?.DeepClone() ?? "FlinkApplication",
            ["metadata"] = app["metadata"]?.DeepClone() ?? new JsonObject { ["name"] = NameOf(app) },
            ["spec"] = app["spec"]?.DeepClone() ?? new JsonObject(),
        };
        return body;
    }

    private static JsonObject NewApplication(string name) => new()
    {
        ["apiVersion"] = "cmf.confluent.io/v1",
        ["kind"] = "FlinkApplication",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["job"] = new JsonObject() },
    };

    private static string? SavepointDirectoryOf(JsonNode? resource) =>
        SavepointDirectoryKeys.Select(key => FlinkConfiguration(resource, key)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? FlinkConfiguration(JsonNode? resource, string key) =>
        CmfJson.At(resource, "spec.flinkConfiguration") is JsonObject config && config[key] is JsonValue value ? value.ToString() : null;

    /// <summary>The savepoint resource name for a trigger id: <c>sp-</c> and its first 16 characters (CMF names are lower case).</summary>
    internal static string SavepointName(string triggerId) => "sp-" + triggerId[..Math.Min(16, triggerId.Length)].ToLowerInvariant();

    internal static string JarFileName(string uri)
    {
        var slash = uri.LastIndexOf('/');
        return slash >= 0 && slash < uri.Length - 1 ? uri[(slash + 1)..] : uri;
    }

    /// <summary>True when <paramref name="jar"/> is written as a URI (<c>local:///…</c>, <c>s3://…</c>, <c>https://…</c>, <c>file:/…</c>).</summary>
    internal static bool IsUri(string jar) => Uri.TryCreate(jar, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1;

    private static string JarUri(string jar, IReadOnlyList<JsonObject> apps)
    {
        if (IsUri(jar)) return jar;
        return apps.Select(a => CmfJson.Str(a, "spec.job.jarURI")).OfType<string>().FirstOrDefault(u => JarFileName(u) == jar)
            ?? DefaultJarDirectory + jar;
    }

    private static string FirstLine(string text) => FlinkErrors.FirstLine(text);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
