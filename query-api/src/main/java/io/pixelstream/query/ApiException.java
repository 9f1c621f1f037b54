package io.pixelstream.query;

/**
 * A request the API refuses: the HTTP status and a stable error code go into the JSON error body
 * ({@code {"error": code, "message": ...}}).
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "NOT_FOUND", message);
  }
}
