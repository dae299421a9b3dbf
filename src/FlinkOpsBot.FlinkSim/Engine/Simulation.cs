using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>A request the cluster refuses: the HTTP status and the exception Flink would report.</summary>
internal sealed record Refusal(int StatusCode, JavaException Error);

/// <summary>Either a value or a <see cref="Refusal"/>.</summary>
internal readonly record struct SimResult<T>(T? Value, Refusal? Refusal)
    where T : class
{
    public static implicit operator SimResult<T>(T value) => new(value, null);

    public static implicit operator SimResult<T>(Refusal refusal) => new(null, refusal);
}

/// <summary>What <c>POST /jobs/:jobid/savepoints</c> or <c>/stop</c> asks for.</summary>
internal sealed record SavepointRequest(SavepointOperationKind Kind, string? TargetDirectory, string FormatType, bool CancelJob, string? TriggerId);

/// <summary>What <c>POST /jars/:jarid/run</c> asks for, body and query parameters merged.</summary>
internal sealed record JobRunRequest(
    int? Parallelism, IReadOnlyList<string> ProgramArgs, string? JobId, string? SavepointPath, bool AllowNonRestoredState, string? ClaimMode);

/// <summary>
/// The whole simulated cluster: jars, jobs, slots, the savepoint operation cache, restorable snapshots, faults and the
/// call log. All access goes through <see cref="Sync{T}"/>, which takes the lock and first runs every event that came
/// due by the clock's now, so that state is always caught up and a test clock makes it fully deterministic.
/// </summary>
internal sealed class Simulation
{
    // Flink's parallelism.default.
    public const int DefaultParallelism = 1;

    private const int IdSeed = 1_020_001;
    private static readonly TimeSpan SeededUptime = TimeSpan.FromHours(6);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<Job> _jobs = [];
    private readonly List<SimJar> _jars = [];
    private readonly List<SimCall> _calls = [];
    private readonly Dictionary<string, RestorePoint> _restorePoints = new(StringComparer.Ordinal);

    public Simulation(FlinkSimOptions options, TimeProvider time)
    {
        options.Validate();
        Options = options.Copy();
        _time = time;
        Scheduler = new Scheduler(time.GetUtcNow());
        Operations = new OperationStore(Options.AsyncOperationStoreDuration);
    }

    public FlinkSimOptions Options { get; }
    public Scheduler Scheduler { get; }
    public SimIds Ids { get; } = new(IdSeed);
    public FaultState Faults { get; } = new();
    public OperationStore Operations { get; }
    public MutationLedger Mutations { get; } = new();
    public DateTimeOffset Now => Scheduler.Now;

    /// <summary>
    /// The jobs the current request's cluster lists (see <see cref="Cmf.JobScope"/>): the plain Flink cluster's, or one
    /// CMF application's. <see cref="JobById"/> finds any job.
    /// </summary>
    public IReadOnlyList<Job> Jobs => _jobs.Where(job => job.CmfScope == Cmf.JobScope.Current).ToList();

    public IReadOnlyList<SimJar> Jars => _jars;
    public IReadOnlyList<SimCall> Calls => _calls;

    /// <summary>Slots not held by a job.</summary>
    public int FreeSlots => Options.TotalSlots - _jobs.Where(job => job.HoldsSlots && job.CmfScope is null).Sum(job => job.Parallelism);

    /// <summary>Catches the cluster up to the clock, then runs <paramref name="action"/>, under the lock.</summary>
    public T Sync<T>(Func<Simulation, T> action)
    {
        lock (_gate)
        {
            Scheduler.RunUntil(_time.GetUtcNow());
            return action(this);
        }
    }

    /// <inheritdoc cref="Sync{T}"/>
    public void Sync(Action<Simulation> action) => Sync(simulation =>
    {
        action(simulation);
        return true;
    });

    public SimJar AddJar(string fileName, JarBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var jar = new SimJar($"{Ids.NewUuid()}_{fileName}", fileName, behavior, Now);
        _jars.Add(jar);
        return jar;
    }

    public Job AddRunningJob(string name, string jarFileName, int parallelism, TimeSpan? checkpointInterval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var jar = _jars.LastOrDefault(jar => jar.FileName == jarFileName)
            ?? throw new ArgumentException($"No jar named '{jarFileName}' was added to the cluster.", nameof(jarFileName));
        var interval = checkpointInterval ?? Options.CheckpointInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(checkpointInterval));

        var job = new Job(this, Ids.NewHex32(), name, jar, new JobSubmission(parallelism, [], null, false, "NO_CLAIM"), interval);
        _jobs.Add(job);
        job.SeedRunning(SeededUptime);
        return job;
    }

    public SimJar? FindJar(string jarId) => _jars.FirstOrDefault(jar => jar.Id == jarId);

    public Job? JobById(string jobId) => _jobs.FirstOrDefault(job => job.JobId == jobId);

    /// <summary>By JobID, or by name: the plain Flink cluster's job of that name that has not terminated, else the newest.</summary>
    public Job? FindJob(string jobIdOrName) =>
        (SimIds.IsHex32(jobIdOrName) ? JobById(jobIdOrName.ToLowerInvariant()) : null)
        ?? _jobs.LastOrDefault(job => job.Name == jobIdOrName && job.CmfScope is null && !JobStatus.IsGloballyTerminal(job.Status))
        ?? _jobs.LastOrDefault(job => job.Name == jobIdOrName && job.CmfScope is null);

    /// <summary>Submits a job from a jar, refusing as Flink's <c>JarRunHandler</c> does.</summary>
    public SimResult<Job> RunJar(string jarId, JobRunRequest request)
    {
        if (FindJar(jarId) is not { } jar) return new Refusal(400, FlinkExceptions.JarNotFound(jarId));
        if (request.JobId is { } requestedId && JobById(requestedId) is not null)
        {
            return new Refusal(400, FlinkExceptions.CouldNotExecuteApplication(jar.JobName, FlinkExceptions.DuplicateJobSubmission()));
        }

        RestorePoint? restoreFrom = null;
        if (request.SavepointPath is { } path && !_restorePoints.TryGetValue(NormalizeSnapshotPath(path), out restoreFrom))
        {
            return new Refusal(400, FlinkExceptions.CouldNotExecuteApplication(jar.JobName, FlinkExceptions.SavepointPathNotFound(path)));
        }

        var submission = new JobSubmission(
            request.Parallelism ?? DefaultParallelism, request.ProgramArgs, restoreFrom, request.AllowNonRestoredState,
            request.ClaimMode ?? "NO_CLAIM");
        var job = new Job(this, request.JobId ?? Ids.NewHex32(), JobNameFor(jar, restoreFrom), jar, submission, Options.CheckpointInterval);
        _jobs.Add(job);
        job.Submit();
        Mutations.Add(new SimMutation(
            SimMutationKind.JarRun, restoreFrom?.SourceJobId ?? job.JobId, TriggerId: null, job.JobId, restoreFrom?.Path, Now, jar.Id));
        return job;
    }

    /// <summary>
    /// Triggers a savepoint or stop, or returns the operation already cached under the same (job, trigger id).
    /// A job that is unknown or not RUNNING is no refusal: the operation completes with the failure, as in Flink.
    /// </summary>
    public SimResult<SavepointOperation> TriggerSavepoint(string jobId, SavepointRequest request)
    {
        var directory = request.TargetDirectory ?? Options.SavepointDirectory;
        if (string.IsNullOrEmpty(directory))
        {
            var property = request.Kind is SavepointOperationKind.Stop ? "targetDirectory" : "target-directory";
            return new Refusal(400, FlinkExceptions.SavepointDirectoryMissing(property));
        }

        var triggerId = request.TriggerId ?? Ids.NewHex32();
        if (Operations.Find(jobId, triggerId, Now) is { } existing) return existing;

        var operation = new SavepointOperation(jobId, triggerId, request.Kind);
        Operations.Add(operation);
        if (JobById(jobId) is not { } job || JobStatus.IsGloballyTerminal(job.Status))
        {
            operation.Fail(Now, FlinkExceptions.AsOperationFailure(FlinkExceptions.FlinkJobNotFound(jobId)));
        }
        else
        {
            var running = job.Status == JobStatus.Running;
            var injected = running ? Faults.TakeSavepointFailure(jobId, request.Kind) : null;
            job.TakeSavepoint(operation, directory, request.FormatType, request.CancelJob, injected);
            if (running)
            {
                var kind = request.Kind is SavepointOperationKind.Stop ? SimMutationKind.StopWithSavepoint
                    : request.CancelJob ? SimMutationKind.CancelWithSavepoint : SimMutationKind.Savepoint;
                Mutations.Add(new SimMutation(kind, jobId, triggerId, ResultJobId: null, SavepointPath: null, Now), operation);
            }
        }
        return operation;
    }

    public SimResult<SavepointOperation> SavepointStatus(string jobId, string triggerId) =>
        Operations.Find(jobId, triggerId, Now) is { } operation
            ? operation
            : new Refusal(404, FlinkExceptions.UnknownSavepointTrigger(triggerId, jobId));

    /// <summary>Cancels a job; <c>null</c> when accepted.</summary>
    public Refusal? Cancel(string jobId)
    {
        if (JobById(jobId) is not { } job) return new Refusal(404, FlinkExceptions.CancelJobNotFound(jobId));
        return job.Cancel() is { } terminal ? new Refusal(409, FlinkExceptions.CancelConflict(jobId, terminal)) : null;
    }

    /// <summary>
    /// Arms or disarms the restart loop of <paramref name="jobId"/>: a RUNNING job fails soon after it is armed; one that is
    /// RESTARTING fails soon after it runs again.
    /// </summary>
    public void RestartLoop(string jobId, bool on)
    {
        Faults.RestartLoop(jobId, on);
        if (on && JobById(jobId) is { Status: JobStatus.Running } job) job.StartRestartLoop();
    }

    /// <summary>Disarms every fault and gives every jar back the behaviour it was uploaded with.</summary>
    public void ClearFaults()
    {
        Faults.Clear();
        foreach (var jar in _jars) jar.Behavior = jar.UploadedBehavior;
    }

    public void RecordCall(string method, string path, string? jobId, string? idempotencyKey, int statusCode) =>
        _calls.Add(new SimCall(method, path, jobId, idempotencyKey, statusCode, Now));

    public void AddRestorePoint(RestorePoint point) => _restorePoints[point.Path] = point;

    public void RemoveRestorePoint(string path) => _restorePoints.Remove(path);

    /// <summary>Makes a savepoint that was written outside the cluster (e.g. registered with CMF) restorable.</summary>
    public void AddRestorePointIfMissing(string path) =>
        _restorePoints.TryAdd(NormalizeSnapshotPath(path), new RestorePoint(1, IsSavepoint: true, NormalizeSnapshotPath(path)));

    /// <summary>Starts the jobs that wait for slots, in submission order, while there are enough.</summary>
    public void SlotsReleased()
    {
        foreach (var job in _jobs.Where(job => job.WaitingForSlots).ToList())
        {
            if (FreeSlots >= job.Parallelism) job.RunWithFreedSlots();
        }
    }

    // A program names its job; the simulated ones use the jar's name, except that a job restored from a snapshot of a
    // job whose name extends that name keeps it (chaos-job-07 upgraded with chaos-job-1.1.0.jar stays chaos-job-07),
    // as a program that reads its job name from its configuration would.
    private static string JobNameFor(SimJar jar, RestorePoint? restoreFrom) =>
        restoreFrom?.SourceJobName is { } source && source.StartsWith(jar.JobName + "-", StringComparison.Ordinal) ? source : jar.JobName;

    // Flink accepts a snapshot's directory, with or without a trailing slash, or its _metadata file.
    private static string NormalizeSnapshotPath(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed.EndsWith("/_metadata", StringComparison.Ordinal) ? trimmed[..^"/_metadata".Length] : trimmed;
    }
}
