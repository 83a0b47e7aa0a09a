void register_cb(void *p);
void start_worker(void *p);
int checksum(const void *p, int n);
char *make_name(int n);
