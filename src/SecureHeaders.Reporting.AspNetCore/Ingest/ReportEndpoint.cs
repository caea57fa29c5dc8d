using System.Buffers;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.AspNetCore.Pipeline;

namespace SecureHeaders.Reporting.AspNetCore.Ingest;

/// <summary>
/// <c>POST {Path}</c>: checks are ordered cheapest first (rate limit, content type, declared length), the body is read
/// under the cap, validated and parsed in one pass, queued, and answered with 204. Any failure becomes a status code;
/// nothing escapes to the server.
/// </summary>
internal sealed class ReportEndpoint
{
    private static readonly StringValues AnyOrigin = new("*");
    private static readonly StringValues RetryAfterRateLimited = new("1");
    private static readonly StringValues RetryAfterQueueFull = new("5");

    private readonly ReportQueue _queue;
    private readonly ClientRateLimiter _limiter;
    private readonly ReportingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxBytes;
    private readonly ParseLimits _limits;

    public ReportEndpoint(
        ReportQueue queue,
        ClientRateLimiter limiter,
        ReportingMetrics metrics,
        IOptions<SecureHeadersReportingOptions> options,
        TimeProvider time,
        ILogger<ReportEndpoint> logger)
    {
        _queue = queue;
        _limiter = limiter;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var o = options.Value;
        _maxBytes = Math.Max(1, o.MaxBodyBytes);
        _limits = new ParseLimits(Math.Clamp(o.MaxJsonDepth, 4, 256), Math.Max(1, o.MaxReportsPerRequest));
    }

    public Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        // Reports are posted cross-origin in CORS mode (W3C Reporting API §3.5.2); the answer must be readable.
        response.Headers.AccessControlAllowOrigin = AnyOrigin;

        if (!_limiter.TryAcquire(context))
        {
            _metrics.AddRateLimited();
            response.Headers.RetryAfter = RetryAfterRateLimited;
            return Refuse(response, StatusCodes.Status429TooManyRequests, "rate limit");
        }

        var request = context.Request;
        if (!ReportMediaTypes.IsAccepted(request.ContentType))
        {
            _metrics.AddRefused();
            return Refuse(response, StatusCodes.Status415UnsupportedMediaType, "content type");
        }

        var declared = request.ContentLength;
        if (declared > _maxBytes)
        {
            _metrics.AddRefused();
            return Refuse(response, StatusCodes.Status413PayloadTooLarge, "declared length");
        }

        if (declared == 0)
        {
            _metrics.AddRefused();
            return Refuse(response, StatusCodes.Status400BadRequest, "empty body");
        }

        // Let the server enforce the cap as well, so an undeclared (chunked) body stops at the limit.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = _maxBytes;
        }

        return ReadAndQueueAsync(context);
    }

    private async Task ReadAndQueueAsync(HttpContext context)
    {
        var response = context.Response;
        byte[]? buffer = null;
        try
        {
            var (status, rented, length) = await CappedBodyReader.ReadAsync(context.Request.BodyReader, _maxBytes, context.RequestAborted)
                .ConfigureAwait(false);
            buffer = rented;
            if (status == BodyReadStatus.TooLarge)
            {
                _metrics.AddRefused();
                await Refuse(response, StatusCodes.Status413PayloadTooLarge, "body length").ConfigureAwait(false);
                return;
            }

            if (status == BodyReadStatus.Empty)
            {
                _metrics.AddRefused();
                await Refuse(response, StatusCodes.Status400BadRequest, "empty body").ConfigureAwait(false);
                return;
            }

            Accept(context, buffer.AsSpan(0, length));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException ex)
        {
            // The server's own body checks (size limit, broken chunking) end up here.
            _metrics.AddRefused();
            await Refuse(response, ex.StatusCode, "server body check").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The endpoint answers every request; an unexpected fault becomes a 500, not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportingLog.IngestFailed(_logger, ex);
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Accept(HttpContext context, ReadOnlySpan<byte> body)
    {
        var response = context.Response;
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        // The JSON reader checks structure, not every string's encoding; check the whole body once, vectorised.
        if (!Utf8.IsValid(body))
        {
            _metrics.AddRefused();
            SetRefused(response, StatusCodes.Status400BadRequest, "invalid UTF-8");
            return;
        }

        var reports = new List<RawReport>();
        if (ReportParser.Parse(body, _limits, reports, out var skipped, out var invalid) != ParseStatus.Ok)
        {
            _metrics.AddRefused();
            SetRefused(response, StatusCodes.Status400BadRequest, "malformed JSON");
            return;
        }

        if (skipped > 0)
        {
            _metrics.AddSkipped(skipped);
            ReportingLog.ReportsSkipped(_logger, skipped, _limits.MaxReports);
        }

        if (invalid > 0)
        {
            _metrics.AddInvalid(invalid);
        }

        if (reports.Count > 0)
        {
            if (!_queue.TryEnqueue(ReportDelivery.Batch(context, reports, _time.GetUtcNow())))
            {
                _metrics.AddQueueFull();
                ReportingLog.QueueFull(_logger, reports.Count);
                response.Headers.RetryAfter = RetryAfterQueueFull;
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            _metrics.AddAccepted(reports.Count);
            ReportingLog.ReportsAccepted(_logger, reports.Count);
        }

        response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task Refuse(HttpResponse response, int statusCode, string reason)
    {
        SetRefused(response, statusCode, reason);
        return Task.CompletedTask;
    }

    private void SetRefused(HttpResponse response, int statusCode, string reason)
    {
        ReportingLog.RequestRefused(_logger, statusCode, reason);
        if (!response.HasStarted)
        {
            response.StatusCode = statusCode;
        }
    }

    /// <summary>
    /// <c>OPTIONS {Path}</c>: <c>application/reports+json</c> is not a CORS-safelisted content type, so a browser
    /// reporting to another origin sends a preflight first (Fetch §3.2.3 "CORS-preflight request").
    /// </summary>
    public static Task HandlePreflight(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = AnyOrigin;
        headers.AccessControlAllowMethods = "POST, OPTIONS";
        headers.AccessControlAllowHeaders = "Content-Type";
        headers.AccessControlMaxAge = "86400";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
