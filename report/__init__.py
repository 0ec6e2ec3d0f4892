from . import account_collection_aged_receivable
from . import report_customer_statement
